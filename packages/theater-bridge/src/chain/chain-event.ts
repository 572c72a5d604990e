import { createHash } from 'node:crypto';
import { canonicalJson } from '../json/canonical-json.js';
import type { JsonValue } from '../json/json-value.js';

/** The kinds of event an actor's chain holds (see README, "The event chain"). */
export type ChainEventType =
  | 'actor.start'
  | 'export.call'
  | 'host.call'
  | 'export.result'
  | 'export.error'
  | 'actor.restart'
  | 'actor.stop';

/** One link of a chain. `hash` = SHA-256 (hex) of canonicalJson({type, data, parentHash}). */
export interface ChainEvent {
  type: string;
  data: JsonValue;
  /** The previous event's hash; null for the first event. */
  parentHash: string | null;
  hash: string;
}

/** The hash an event with this content and parent must carry. */
export function hashEvent(type: string, data: JsonValue, parentHash: string | null): string {
  return createHash('sha256').update(canonicalJson({ type, data, parentHash }), 'utf8').digest('hex');
}

/** Builds the event that follows `parentHash`. */
export function makeEvent(type: string, data: JsonValue, parentHash: string | null): ChainEvent {
  return { type, data, parentHash, hash: hashEvent(type, data, parentHash) };
}

/** The persisted form of an event: one line of canonical JSON, without the newline. */
export function eventLine(event: ChainEvent): string {
  return canonicalJson(event);
}
