import { ValidationError } from './errors.js';
import type { FieldViolation } from './status-details.js';

/**
 * Collects every field violation of a decoded request, so the caller learns
 * all that is wrong in one answer. Fields are named by their proto path in
 * snake_case, as in the .proto (`new_address.postal_code`, `co_moving_person_ids[1]`).
 *
 * ```ts
 * const v = new Violations();
 * v.required('person_id', req.personId);
 * if (v.required('new_address', req.newAddress)) {
 *   v.at('new_address').check(/^\d{5}$/.test(req.newAddress.postalCode), 'postal_code', 'must be five digits');
 * }
 * v.throwIfAny();
 * ```
 */
export class Violations {
  // Not readonly: `at` hands a scoped view the same list.
  #list: FieldViolation[] = [];
  #prefix = '';

  /** Adds a violation unconditionally. */
  add(field: string, description: string): this {
    this.#list.push({ field: this.#prefix + field, description });
    return this;
  }

  /** Adds `description` for `field` unless `ok`; returns `ok`. */
  check(ok: boolean, field: string, description: string): boolean {
    if (!ok) this.add(field, description);
    return ok;
  }

  /**
   * The field must be set: not undefined/null, not an empty or blank string,
   * not an empty list. Narrows the value's type when it returns true.
   */
  required<T>(field: string, value: T, description = 'is required'): value is NonNullable<T> {
    return this.check(isPresent(value), field, description);
  }

  /**
   * A view whose fields are below `path`, for nested messages and list
   * elements: `v.at('new_address')`, `v.at('co_moving_person_ids[2]')`.
   * It shares this collector's list, so `throwIfAny` on either sees everything.
   */
  at(path: string): Violations {
    const view = new Violations();
    view.#list = this.#list;
    view.#prefix = `${this.#prefix}${path}.`;
    return view;
  }

  get list(): readonly FieldViolation[] {
    return this.#list;
  }

  get isEmpty(): boolean {
    return this.#list.length === 0;
  }

  /** Throws a ValidationError (INVALID_ARGUMENT) with all violations, if there are any. */
  throwIfAny(): void {
    if (this.#list.length > 0) throw new ValidationError([...this.#list]);
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
