import { leipzigCatalogue, MOVE_SERVICE_ID } from '../seed-data.js';
import { type Catalogue, CatalogueIndex, catalogueProblems } from './catalogue.js';

describe('the catalogue', () => {
  it('seeded for the model city is consistent', () => {
    const catalogue = leipzigCatalogue();
    expect(catalogueProblems(catalogue)).toEqual([]);
    const index = new CatalogueIndex(catalogue);
    const move = index.service(MOVE_SERVICE_ID);
    expect(move?.durationMinutes).toBe(15);
    expect(index.locationsOffering(move as NonNullable<typeof move>).map((l) => l.kind)).toEqual(
      expect.arrayContaining(['citizen-office', 'mobile-stop']),
    );
    expect(
      catalogue.services.filter((s) => s.invitationOnly).every((s) => s.locationIds[0] === 'jobcenter-leipzig'),
    ).toBe(true);
  });

  it('names every inconsistency', () => {
    const broken: Catalogue = leipzigCatalogue();
    const office = broken.locations[0];
    if (!office?.pools[0]?.rules[0]) throw new Error('seed changed');
    office.pools[0].rules[0].from = '12:00';
    office.pools[0].rules.push({ weekdays: [3], from: '10:00', to: '18:00', counters: 1, everyWeeks: 2 });
    office.pools[0].rules.push({ weekdays: [8 as 1], from: '10:00', to: '10:10', counters: 0 });
    broken.services.push({ ...(broken.services[0] as Catalogue['services'][number]), locationIds: ['nowhere'] });
    broken.services.push({
      ...(broken.services[0] as Catalogue['services'][number]),
      id: 'x',
      invitationOnly: true,
      invitingAuthorities: [],
    });
    broken.cityClosures.push({ from: '2027-01-02', to: '2027-01-01', reason: 'x' });
    expect(catalogueProblems(broken)).toEqual([
      'location bb-zentrum pool buergerbuero rule 0: from must be before to',
      'location bb-zentrum pool buergerbuero rule 3: a rotation needs an anchorDate',
      'location bb-zentrum pool buergerbuero rule 4: weekdays must be 1 (Monday) to 7 (Sunday)',
      'location bb-zentrum pool buergerbuero rule 4: hours must be whole slots of 15 minutes',
      'location bb-zentrum pool buergerbuero rule 4: counters must be at least 1',
      'city: closure 2027-01-02 ends before it starts',
      'service personalausweis-adressaenderung: duplicate id',
      'service personalausweis-adressaenderung: unknown location nowhere',
      'service x: invitation-only without an inviting authority',
    ]);
  });
});
