/**
 * Canonical JSON: the one byte sequence a JSON value hashes to, wherever it is computed.
 *
 * Object keys sorted by UTF-16 code unit (the order `Array.prototype.sort` gives), no whitespace,
 * strings and numbers written exactly as `JSON.stringify` writes them (shortest round-trip number,
 * `-0` as `0`). Object members whose value is `undefined` are left out and `undefined` array items
 * become `null`, as JSON.stringify does. Non-finite numbers and other non-JSON values are refused
 * rather than silently changed, because a hash over a changed value would verify something that was
 * never recorded.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new NotJsonError('$', 'undefined');
  // JSON.stringify does the writing (it is native and fast); the replacer only orders keys and
  // refuses what JSON cannot hold. Objects already in order are passed through without a copy.
  try {
    return JSON.stringify(value, sortKeys);
  } catch (error) {
    if (error !== UNREPRESENTABLE_ORDER) throw error;
    // An object whose sorted key order a JavaScript object cannot hold (integer-like keys always
    // enumerate first, numerically): write it member by member instead.
    return writeCanonical(value, '$');
  }
}

/** Thrown by the replacer when it meets such an object; never escapes `canonicalJson`. */
const UNREPRESENTABLE_ORDER = new Error('canonical key order needs the explicit writer');

/** A key JavaScript enumerates before every other key, in numeric order (an array index). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}

/** The slow path: writes `value` canonically without relying on object property order. */
function writeCanonical(value: unknown, path: string): string {
  // As JSON.stringify does: a toJSON method decides what is written.
  const target = hasToJson(value) ? value.toJSON() : value;
  switch (typeof target) {
    case 'number':
      if (!Number.isFinite(target)) throw new NotJsonError(path, String(target));
      return JSON.stringify(target);
    case 'string':
    case 'boolean':
      return JSON.stringify(target);
    case 'object':
      break;
    default:
      // undefined, function, symbol, bigint (an undefined member or item is handled by the caller).
      throw new NotJsonError(path, typeof target);
  }
  if (target === null) return 'null';
  const at = (key: string | number): string => `key ${JSON.stringify(String(key))}`;
  if (Array.isArray(target)) {
    return `[${target.map((item: unknown, index) => (item === undefined ? 'null' : writeCanonical(item, at(index)))).join(',')}]`;
  }
  const record = target as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    members.push(`${JSON.stringify(key)}:${writeCanonical(record[key], at(key))}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Raised for a value that has no JSON form (NaN, a function, a bigint, …). */
export class NotJsonError extends Error {
  readonly code = 'not_json';

  constructor(path: string, what: string) {
    super(`value at ${path} is not JSON: ${what}`);
    this.name = 'NotJsonError';
  }
}

function sortKeys(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(key === '' ? '$' : `key ${JSON.stringify(key)}`, String(value));
      return value;
    case 'object':
      if (value === null || Array.isArray(value)) return value;
      return sorted(value as Record<string, unknown>);
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new NotJsonError(key === '' ? '$' : `key ${JSON.stringify(key)}`, typeof value);
    default:
      return value;
  }
}

function sorted(value: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(value);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) return value;
  if (keys.some(isArrayIndex)) throw UNREPRESENTABLE_ORDER;
  // A null-prototype copy, so a member named "__proto__" stays a member.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of keys.sort()) copy[key] = value[key];
  return copy;
}
