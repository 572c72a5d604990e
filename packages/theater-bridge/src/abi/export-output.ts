import { AbiError } from '../errors/theater-errors.js';
import { isJsonObject, type JsonValue } from '../json/json-value.js';

/** What an export answered: the new state and an optional result, or a handled error. */
export type ExportOutput =
  | { kind: 'ok'; state: JsonValue; result: JsonValue | undefined }
  | { kind: 'error'; message: string; code: string | undefined };

/**
 * Parses the JSON an export returned: `{"state":…,"result"?:…}` or `{"error":{"message":…,"code"?:…}}`.
 * Anything else is an ABI violation. (Checked by hand rather than with a schema: this runs on every
 * call, and JSON.parse already guarantees the values inside are JSON.)
 */
export function parseExportOutput(text: string, actorId: string, exportName: string): ExportOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AbiError(`actor ${actorId} export ${exportName} returned text that is not JSON: ${text.slice(0, 80)}`);
  }
  if (isJsonObject(raw)) {
    const keys = Object.keys(raw);
    if ('state' in raw && keys.every((key) => key === 'state' || key === 'result')) {
      return { kind: 'ok', state: raw.state as JsonValue, result: raw.result };
    }
    const error = raw.error;
    if (keys.length === 1 && isJsonObject(error) && typeof error.message === 'string' && (error.code === undefined || typeof error.code === 'string')) {
      return { kind: 'error', message: error.message, code: error.code };
    }
  }
  throw new AbiError(
    `actor ${actorId} export ${exportName} returned ${text.slice(0, 80)}; expected {"state":…,"result"?:…} or {"error":{"message":…}}`,
  );
}
