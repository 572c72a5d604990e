/**
 * Canonical JSON: the one byte sequence a JSON value hashes to, wherever it is computed.
 *
 * Object keys sorted by UTF-16 code unit (the order `Array.prototype.sort` gives), no whitespace,
 * strings and numbers written exactly as `JSON.stringify` writes them (shortest round-trip number,
 * `-0` as `0`). Object members whose value is `undefined` are left out, as JSON.stringify does.
 * Non-finite numbers and other non-JSON values are refused rather than silently changed, because a
 * hash over a changed value would verify something that was never recorded.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

/** Raised for a value that has no JSON form (NaN, a function, a bigint, …). */
export class NotJsonError extends Error {
  readonly code = 'not_json';

  constructor(path: string, what: string) {
    super(`value at ${path} is not JSON: ${what}`);
    this.name = 'NotJsonError';
  }
}

function write(value: unknown, out: string[], path: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(path, String(value));
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, index) => {
          if (index > 0) out.push(',');
          // JSON.stringify writes `undefined` array items as null; keep that so hashes agree with it.
          write(item === undefined ? null : item, out, `${path}[${index}]`);
        });
        out.push(']');
        return;
      }
      writeObject(value as Record<string, unknown>, out, path);
      return;
    default:
      throw new NotJsonError(path, typeof value);
  }
}

function writeObject(value: Record<string, unknown>, out: string[], path: string): void {
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(value[key], out, `${path}.${key}`);
  });
  out.push('}');
}
