import fc from 'fast-check';
import { openApiDocument } from '../http/openapi.js';
import { RequestValidator } from '../http/validation.js';
import { type BundleInput, isCalendarDate, validateBundle } from './bundle-rules.js';

const validator = new RequestValidator(openApiDocument);
const submit = validator.operation('post', '/api/bundles');

function valid(): BundleInput {
  return {
    move: {
      kind: 'within-city',
      moveInDate: '2026-05-01',
      residenceType: 'main',
      newAddress: { street: 'Karl-Heine-Straße', houseNumber: '40', postalCode: '04229', municipality: 'Leipzig' },
      landlordConfirmationReference: 'WGB-2026-0001',
    },
    householdMemberIds: ['P0000002'],
    vehiclePlates: ['L-AM 2026'],
    documents: ['registration-confirmation', 'vehicle-registration-record'],
    appointment: { wanted: true, autoBook: true },
  };
}

const fieldsOf = (errors: readonly { field: string }[]) => [...new Set(errors.map((e) => e.field))].sort();

describe('bundle rules shared by the API and the page', () => {
  it('accepts a complete bundle', () => {
    expect(validateBundle(valid())).toEqual([]);
    expect(submit.validateBody(valid())).toEqual([]);
  });

  it('names every bad field with its JSON pointer', () => {
    const bundle = valid() as unknown as Record<string, Record<string, unknown>>;
    const move = bundle.move as Record<string, unknown>;
    move.moveInDate = '2026-02-30';
    (move.newAddress as Record<string, unknown>).postalCode = '4229';
    bundle.vehiclePlates = ['LAM2026'] as never;
    delete move.landlordConfirmationReference;
    const expected = [
      '/move/landlordConfirmationReference',
      '/move/moveInDate',
      '/move/newAddress/postalCode',
      '/vehiclePlates/0',
    ];
    expect(fieldsOf(validateBundle(bundle))).toEqual(expected);
    expect(fieldsOf(submit.validateBody(bundle))).toEqual(expected);
  });

  it('requires the previous address for a move into the city', () => {
    const bundle = valid();
    bundle.move.kind = 'into-city';
    expect(fieldsOf(validateBundle(bundle))).toEqual(['/move/previousAddress']);
    expect(fieldsOf(submit.validateBody(bundle))).toEqual(['/move/previousAddress']);
    bundle.move.previousAddress = {
      street: 'Hauptstraße',
      houseNumber: '1',
      postalCode: '01067',
      municipality: 'Dresden',
    };
    expect(fieldsOf(validateBundle(bundle))).toEqual(['/move/previousAddress/municipalityKey']);
    expect(fieldsOf(submit.validateBody(bundle))).toEqual(['/move/previousAddress/municipalityKey']);
  });

  it('knows calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-12-31')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });

  /**
   * Mutations of a valid bundle, as a citizen's typing or a client's bug makes
   * them: every generated input must get the same verdict, on the same fields,
   * from the page's rules and from the API's JSON Schema.
   */
  const text = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '04229',
      '4229',
      '2026-05-01',
      '2026-02-29',
      '2024-02-29',
      'L-AM 2026',
      'LÖ-A 1E',
      'L-AM 0',
      'P0000002',
      'P02',
      'de',
      'DE',
      'x'.repeat(101),
      '12',
      '12a',
      'a',
      'WGB-1',
      '-x',
    ),
    fc.string({ maxLength: 12 }),
  );
  const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(0).map(() => []),
    fc.constant(0).map(() => ({})),
  );
  const paths: readonly (readonly string[])[] = [
    ['move', 'kind'],
    ['move', 'moveInDate'],
    ['move', 'residenceType'],
    ['move', 'newAddress', 'street'],
    ['move', 'newAddress', 'houseNumber'],
    ['move', 'newAddress', 'houseNumberSuffix'],
    ['move', 'newAddress', 'postalCode'],
    ['move', 'newAddress', 'municipality'],
    ['move', 'newAddress', 'countryCode'],
    ['move', 'landlordConfirmationReference'],
    ['move', 'previousAddress'],
    ['householdMemberIds', '0'],
    ['householdMemberIds', '1'],
    ['vehiclePlates', '0'],
    ['documents', '1'],
    ['appointment', 'wanted'],
    ['appointment', 'autoBook'],
    ['appointment', 'earliestDate'],
    ['appointment', 'interpreterLanguage'],
    ['appointment', 'locationId'],
    ['move', 'unknown'],
    ['appointment'],
  ];
  const mutation = fc.record({
    path: fc.constantFrom(...paths),
    value: fc.oneof(anyValue, fc.constant(undefined)),
  });

  function mutate(target: unknown, path: readonly string[], value: unknown): void {
    let node = target as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) return;
      node = node[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (value === undefined) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else node[last] = value;
  }

  it('the page reports exactly the fields the API reports, for generated inputs', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), fc.boolean(), (mutations, intoCity) => {
        const bundle = valid() as unknown;
        if (intoCity) mutate(bundle, ['move', 'kind'], 'into-city');
        for (const m of mutations) mutate(bundle, m.path, m.value);
        // What arrives over HTTP: JSON (no holes in arrays, no undefined).
        const body: unknown = JSON.parse(JSON.stringify(bundle));
        expect(fieldsOf(validateBundle(body))).toEqual(fieldsOf(submit.validateBody(body)));
      }),
      { numRuns: 2_000 },
    );
  });
});
