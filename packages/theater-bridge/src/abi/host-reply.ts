import { toWireError, type WireError } from 'cmd-ipc';
import type { JsonValue } from '../json/json-value.js';
import { toJsonValue } from '../json/json-value.js';

/** What the host writes back for an import call (the shape of an execute response's `response`). */
export type HostReply = { ok: true; result?: JsonValue } | { ok: false; error: WireError };

/** A successful reply; an absent result stays absent, as on the wire. */
export function replyOk(result: unknown): HostReply {
  return result === undefined ? { ok: true } : { ok: true, result: toJsonValue(result) };
}

/** A failed reply carrying the error's wire code and message. */
export function replyError(error: unknown): HostReply {
  return { ok: false, error: toWireError(error) };
}
