import { ValidationError } from './errors';
import { Violations } from './violations';

interface Request {
  personId: string;
  newAddress?: { postalCode: string; street: string } | undefined;
  coMovingPersonIds: string[];
}

function validate(req: Request): void {
  const v = new Violations();
  v.required('person_id', req.personId);
  if (v.required('new_address', req.newAddress)) {
    const address = v.at('new_address');
    address.check(/^\d{5}$/.test(req.newAddress.postalCode), 'postal_code', 'must be five digits');
    address.required('street', req.newAddress.street);
  }
  req.coMovingPersonIds.forEach((id, i) => {
    v.check(id !== req.personId, `co_moving_person_ids[${i}]`, 'must not be the applicant');
  });
  v.throwIfAny();
}

function violationsOf(fn: () => void) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations;
    throw error;
  }
  return [];
}

describe('Violations', () => {
  it('collects every violation with its proto path', () => {
    const found = violationsOf(() =>
      validate({ personId: ' ', newAddress: { postalCode: '0410', street: '' }, coMovingPersonIds: ['p-2', 'p-3'] }),
    );
    expect(found).toEqual([
      { field: 'person_id', description: 'is required' },
      { field: 'new_address.postal_code', description: 'must be five digits' },
      { field: 'new_address.street', description: 'is required' },
    ]);
  });

  it('reports a missing nested message once, without its fields', () => {
    const found = violationsOf(() => validate({ personId: 'p-1', newAddress: undefined, coMovingPersonIds: ['p-1'] }));
    expect(found).toEqual([
      { field: 'new_address', description: 'is required' },
      { field: 'co_moving_person_ids[0]', description: 'must not be the applicant' },
    ]);
  });

  it('does not throw for a valid request', () => {
    expect(() =>
      validate({ personId: 'p-1', newAddress: { postalCode: '04109', street: 'Markt' }, coMovingPersonIds: ['p-2'] }),
    ).not.toThrow();
  });

  it('treats empty lists and null as missing, zero and false as present', () => {
    const v = new Violations();
    expect(v.required('a', [])).toBe(false);
    expect(v.required('b', null)).toBe(false);
    expect(v.required('c', 0)).toBe(true);
    expect(v.required('d', false)).toBe(true);
    expect(v.list.map((x) => x.field)).toEqual(['a', 'b']);
  });

  it('nests scopes and shares one list', () => {
    const v = new Violations();
    v.at('follow_ups').at('appointment').add('office_id', 'unknown office');
    expect(v.isEmpty).toBe(false);
    expect(v.list).toEqual([{ field: 'follow_ups.appointment.office_id', description: 'unknown office' }]);
    expect(() => v.throwIfAny()).toThrow('invalid request: follow_ups.appointment.office_id: unknown office');
  });
});
