/**
 * Reading documents as the driver returns them into domain values. The
 * database is this service's own, but documents outlive code versions, so
 * reads check types instead of casting blindly, and a document that does
 * not fit fails loudly with its collection and id (no personal data).
 */
export class CorruptDocumentError extends Error {
  override readonly name = 'CorruptDocumentError';
}

export type Raw = Record<string, unknown>;

export function record(value: unknown, where: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptDocumentError(`${where}: not a document`);
  }
  return value as Raw;
}

export function text(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new CorruptDocumentError(`${where}: not a string`);
  return value;
}

export function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, where);
}

export function numeric(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CorruptDocumentError(`${where}: not a number`);
  return value;
}

export function optionalNumber(value: unknown, where: string): number | undefined {
  return value === undefined || value === null ? undefined : numeric(value, where);
}

export function instant(value: unknown, where: string): Date {
  if (!(value instanceof Date)) throw new CorruptDocumentError(`${where}: not a date`);
  return value;
}

export function bool(value: unknown): boolean {
  return value === true;
}

export function list<T>(value: unknown, where: string, item: (element: unknown, at: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CorruptDocumentError(`${where}: not a list`);
  return value.map((element, i) => item(element, `${where}[${i}]`));
}

export function texts(value: unknown, where: string): string[] {
  return list(value, where, text);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new CorruptDocumentError(`${where}: unexpected value`);
}
