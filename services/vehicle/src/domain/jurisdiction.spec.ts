import { DRESDEN_HOME, HOME, VIENNA_HOME } from '../testing/fixtures.js';
import { destinationOf, LEIPZIG_JURISDICTION } from './jurisdiction.js';

describe('where a new holder address lies', () => {
  it('inside the city: the city district code', () => {
    expect(destinationOf(HOME, LEIPZIG_JURISDICTION)).toEqual({ kind: 'in-district', districtCode: 'L' });
  });

  it('an empty country code counts as Germany', () => {
    expect(destinationOf({ ...HOME, countryCode: '' }, LEIPZIG_JURISDICTION)).toEqual({
      kind: 'in-district',
      districtCode: 'L',
    });
  });

  it('another German municipality: another authority is responsible', () => {
    expect(destinationOf(DRESDEN_HOME, LEIPZIG_JURISDICTION)).toEqual({ kind: 'other-district' });
  });

  it('abroad', () => {
    expect(destinationOf(VIENNA_HOME, LEIPZIG_JURISDICTION)).toEqual({ kind: 'abroad' });
  });

  it('follows the configured jurisdiction', () => {
    expect(destinationOf(DRESDEN_HOME, { municipalityKey: '14612000', districtCode: 'DD' })).toEqual({
      kind: 'in-district',
      districtCode: 'DD',
    });
  });
});
