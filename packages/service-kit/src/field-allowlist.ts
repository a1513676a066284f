/**
 * Field-level data minimisation: keep only the allowed fields of a response
 * message and reset every other field to its proto default, so a client
 * receives exactly the data it is entitled to (BMG: each recipient only the
 * fields it needs).
 */

/**
 * A ts-proto message type (e.g. `registration.GetPersonResponse`). Only its
 * `fromPartial` is used: it fills every field that was left out with the proto
 * default, at every nesting level. (`never` because ts-proto's `fromPartial` is
 * generic over an exact deep-partial type that cannot be named here.)
 */
export interface MessageType<T> {
  fromPartial(object: never): T;
}

type PathTree = Map<string, PathTree | 'all'>;

/**
 * Returns a copy of `message` with only the fields named in `paths`.
 *
 * A path names a field of the message, dot-separated into nested messages:
 * `person.name` keeps the whole name, `person.mainResidence.address` keeps that
 * address and clears the residence's other fields. Segments may be camelCase
 * (as in the generated TypeScript) or snake_case (as in the .proto). A path
 * through a repeated field applies to every element
 * (`person.secondaryResidences.address`). Map fields are kept or cleared whole.
 * A path naming no field keeps nothing, so a typo fails closed.
 */
export function applyFieldAllowlist<T>(type: MessageType<T>, message: T, paths: readonly string[]): T {
  const picked = pick(message, buildTree(paths)) ?? {};
  return type.fromPartial(picked as never);
}

function buildTree(paths: readonly string[]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    const segments = path.split('.').filter((s) => s !== '');
    let node = root;
    for (const [i, segment] of segments.entries()) {
      const existing = node.get(segment);
      if (existing === 'all') break;
      if (i === segments.length - 1) {
        node.set(segment, 'all');
        break;
      }
      const child: PathTree = existing ?? new Map();
      node.set(segment, child);
      node = child;
    }
  }
  return root;
}

function pick(value: unknown, tree: PathTree): unknown {
  if (Array.isArray(value)) return value.map((element) => pick(element, tree));
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [segment, subtree] of tree) {
    const key = Object.hasOwn(value, segment) ? segment : snakeToCamel(segment);
    if (!Object.hasOwn(value, key)) continue;
    const field = value[key];
    out[key] = subtree === 'all' ? field : pick(field, subtree);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function snakeToCamel(segment: string): string {
  return segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
