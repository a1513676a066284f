import { anna, cityAddress, muellerHome } from '../../test/fixtures/register.js';
import { openResidences, type ResidenceChange, residenceHistory, residencesOn } from './person.js';

const mozart = cityAddress('02001', '7');
const plagwitz = cityAddress('03001', '3');

function change(overrides: Partial<ResidenceChange>): ResidenceChange {
  return {
    moveId: 'm1',
    personIds: [anna.personId],
    newAddress: mozart,
    residenceType: 'main',
    moveInDate: '2025-11-15',
    recordedAt: new Date('2025-11-17T09:00:00Z'),
    ...overrides,
  };
}

describe('residence history', () => {
  it('is the imported residence without moves', () => {
    expect(residenceHistory(anna, [])).toEqual([{ address: muellerHome, type: 'main', validFrom: '2019-08-01' }]);
  });

  it('closes the main residence the day before moving in and opens the new one', () => {
    const history = residenceHistory(anna, [change({})]);
    expect(history).toEqual([
      { address: muellerHome, type: 'main', validFrom: '2019-08-01', validUntil: '2025-11-14' },
      { address: mozart, type: 'main', validFrom: '2025-11-15', moveId: 'm1' },
    ]);
  });

  it('answers for any day: the old address until the day before, the new one from moving in', () => {
    const history = residenceHistory(anna, [change({})]);
    expect(residencesOn(history, '2025-11-14').main?.address).toEqual(muellerHome);
    expect(residencesOn(history, '2025-11-15').main?.address).toEqual(mozart);
    expect(residencesOn(history, '2019-07-31').main).toBeUndefined();
    expect(residencesOn(history, '2019-08-01').main?.address).toEqual(muellerHome);
  });

  it('applies moves in order of moving in, whatever order they come in', () => {
    const second = change({ moveId: 'm2', newAddress: plagwitz, moveInDate: '2026-03-01' });
    const history = residenceHistory(anna, [second, change({})]);
    expect(history.map((r) => [r.validFrom, r.validUntil])).toEqual([
      ['2019-08-01', '2025-11-14'],
      ['2025-11-15', '2026-02-28'],
      ['2026-03-01', undefined],
    ]);
  });

  it('ignores moves of other persons', () => {
    expect(residenceHistory(anna, [change({ personIds: ['P0000004'] })])).toHaveLength(1);
  });

  it('adds a secondary residence without closing the main one', () => {
    const history = residenceHistory(anna, [change({ residenceType: 'secondary', newAddress: plagwitz })]);
    const today = residencesOn(history, '2025-12-01');
    expect(today.main?.address).toEqual(muellerHome);
    expect(today.secondary.map((r) => r.address)).toEqual([plagwitz]);
  });

  it('turns a secondary residence into the main one when the person makes it the main residence', () => {
    const history = residenceHistory(anna, [
      change({ moveId: 's', residenceType: 'secondary', newAddress: plagwitz, moveInDate: '2025-06-01' }),
      change({ moveId: 'm', residenceType: 'main', newAddress: plagwitz, moveInDate: '2025-11-15' }),
    ]);
    const open = openResidences(history);
    expect(open.main?.moveId).toBe('m');
    expect(open.secondary).toEqual([]);
  });
});
