/**
 * The names of the data fields a message actually carries, for the
 * transmission log: proto paths in snake_case ("persons.name.family_name"),
 * leaves only, fields at their proto default (empty, 0, false, unset)
 * left out because they transmit nothing. A repeated field contributes the
 * union of its elements' fields.
 */
export function transmittedFields(message: unknown): string[] {
  const found = new Set<string>();
  collect(message, '', found);
  return [...found].sort();
}

function collect(value: unknown, path: string, found: Set<string>): boolean {
  if (value === undefined || value === null) return false;
  if (value instanceof Date) return mark(path, found);
  if (Array.isArray(value)) {
    let any = false;
    for (const element of value) any = collect(element, path, found) || any;
    return any;
  }
  if (typeof value === 'object') {
    let any = false;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      any = collect(child, path === '' ? snake(key) : `${path}.${snake(key)}`, found) || any;
    }
    return any;
  }
  return isSet(value) ? mark(path, found) : false;
}

function isSet(value: unknown): boolean {
  return value !== '' && value !== 0 && value !== false;
}

function mark(path: string, found: Set<string>): true {
  if (path !== '') found.add(path);
  return true;
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
