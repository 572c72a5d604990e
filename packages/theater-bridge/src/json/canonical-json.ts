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
  return JSON.stringify(value, sortKeys);
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
  // A null-prototype copy, so a member named "__proto__" stays a member.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of keys.sort()) copy[key] = value[key];
  return copy;
}
