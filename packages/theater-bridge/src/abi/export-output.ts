import { z } from 'zod';
import { AbiError } from '../errors/theater-errors.js';
import type { JsonValue } from '../json/json-value.js';

const OutputSchema = z.union([
  z.strictObject({ state: z.json(), result: z.json().optional() }),
  z.strictObject({ error: z.strictObject({ message: z.string(), code: z.string().optional() }) }),
]);

/** What an export answered: the new state and an optional result, or a handled error. */
export type ExportOutput =
  | { kind: 'ok'; state: JsonValue; result: JsonValue | undefined }
  | { kind: 'error'; message: string; code: string | undefined };

/** Parses the JSON an export returned; anything else is an ABI violation. */
export function parseExportOutput(text: string, actorId: string, exportName: string): ExportOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AbiError(`actor ${actorId} export ${exportName} returned text that is not JSON: ${text.slice(0, 80)}`);
  }
  const parsed = OutputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AbiError(
      `actor ${actorId} export ${exportName} returned ${text.slice(0, 80)}; expected {"state":…,"result"?:…} or {"error":{"message":…}}`,
    );
  }
  const value = parsed.data;
  if ('error' in value) return { kind: 'error', message: value.error.message, code: value.error.code };
  return { kind: 'ok', state: value.state as JsonValue, result: value.result as JsonValue | undefined };
}
