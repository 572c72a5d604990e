import type { JsonSchema } from '../../protocol/messages.js';

/** Longest summary printed in a table cell. */
const MAX_SUMMARY = 60;

/**
 * A one-line, TypeScript-like summary of a JSON Schema for `cmd-ipc list`, e.g. `{a: number, b?: string}`.
 * `cmd-ipc describe` prints the full schema; this only has to tell commands apart at a glance.
 */
export function summarizeSchema(schema: JsonSchema | undefined): string {
  if (schema === undefined) return '-';
  const text = summarize(schema, 0);
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

function summarize(schema: unknown, depth: number): string {
  if (typeof schema !== 'object' || schema === null) return schema === false ? 'never' : 'any';
  const s = schema as Record<string, unknown>;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((value) => JSON.stringify(value)).join(' | ');
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((part) => summarize(part, depth)).join(' | ');
  const type = s.type;
  if (Array.isArray(type)) return type.map((t) => summarize({ ...s, type: t }, depth)).join(' | ');
  switch (type) {
    case 'object':
      return summarizeObject(s, depth);
    case 'array':
      return `${wrap(summarize(s.items, depth + 1))}[]`;
    case 'integer':
      return 'integer';
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return type;
    default:
      return 'any';
  }
}

function summarizeObject(s: Record<string, unknown>, depth: number): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const keys = Object.keys(properties);
  if (keys.length === 0) return s.additionalProperties && typeof s.additionalProperties === 'object' ? `Record<string, ${summarize(s.additionalProperties, depth + 1)}>` : '{}';
  if (depth >= 1) return '{…}';
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return `{${keys.map((key) => `${key}${required.has(key) ? '' : '?'}: ${summarize(properties[key], depth + 1)}`).join(', ')}}`;
}

function wrap(text: string): string {
  return text.includes(' | ') ? `(${text})` : text;
}
