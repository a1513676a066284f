import { demoPopulation } from '@buergerservice/demo-data';
import { ImportError, toPersons } from './seed.js';

describe('person import', () => {
  it('turns the demo population into register entries with directory addresses', () => {
    const { persons } = demoPopulation({ persons: 50, vehicles: 0 });
    const imported = toPersons(persons);
    expect(imported).toHaveLength(50);
    expect(imported[0]).toMatchObject({
      personId: 'P0000001',
      name: { familyName: 'Müller', givenNames: 'Anna' },
      residences: [
        { type: 'main', validFrom: '2019-08-01', address: { streetKey: '01001', municipalityKey: '14713000' } },
      ],
    });
  });

  it('refuses records with bad fields or addresses outside the directory, naming record and field only', () => {
    const [anna] = demoPopulation({ persons: 1, vehicles: 0 }).persons;
    const error = (() => {
      try {
        toPersons([
          { ...anna, dateOfBirth: '17.04.1988' },
          { ...anna, address: { ...anna?.address, street: 'Nirgendweg' } },
          42,
        ]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems).toEqual([
      '#0: dateOfBirth: must be a date YYYY-MM-DD',
      '#1: address.street: is not in the street directory of Leipzig',
      '#2: : Invalid input: expected object, received number',
    ]);
    expect((error as ImportError).message).not.toContain('Müller');
  });
});
