import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JsonValue } from '../json/json-value.js';
import { eventLine, hashEvent, type ChainEvent } from './chain-event.js';
import { splitLines } from './chain-sink.js';

const ChainEventSchema = z.object({
  type: z.string().min(1),
  data: z.json(),
  parentHash: z.string().nullable(),
  hash: z.string(),
});

/** The outcome of checking a chain. */
export type VerifyResult =
  | { ok: true; length: number; head: string | null }
  | {
      ok: false;
      /** Events before the bad one (all of them good). */
      length: number;
      /** Zero-based index (= line number - 1) of the first event that does not match. */
      index: number;
      /** The hash that event claims, when it could be read. */
      hash?: string;
      /** What is wrong with it. */
      reason: string;
    };

/** Raised by `parseChainLines` for a line that is not a chain event. */
export class ChainFormatError extends Error {
  readonly code = 'chain_format';

  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`chain event ${index}: ${reason}`);
    this.name = 'ChainFormatError';
  }
}

/** Parses one persisted line into an event, or says why it is not one. */
function parseLine(line: string): { event: ChainEvent } | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { reason: 'line is not valid JSON' };
  }
  const parsed = ChainEventSchema.safeParse(raw);
  if (!parsed.success) return { reason: `not a chain event (${z.prettifyError(parsed.error).replaceAll('\n', ' ')})` };
  return { event: { ...parsed.data, data: parsed.data.data as JsonValue } };
}

/** Parses persisted lines into events; throws ChainFormatError naming the first bad line. */
export function parseChainLines(lines: string[]): ChainEvent[] {
  return lines.map((line, index) => {
    const parsed = parseLine(line);
    if ('reason' in parsed) throw new ChainFormatError(index, parsed.reason);
    return parsed.event;
  });
}

/**
 * Recomputes every hash and every parent link, in order, and names the first event that does not
 * match: its own content must hash to its `hash`, its `parentHash` must be the previous `hash`
 * (null for the first), and its line must be exactly the canonical encoding of the event.
 */
export function verifyLines(lines: string[]): VerifyResult {
  let previous: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const parsed = parseLine(lines[index] ?? '');
    if ('reason' in parsed) return { ok: false, length: index, index, reason: parsed.reason };
    const { event } = parsed;
    const computed = hashEvent(event.type, event.data, event.parentHash);
    if (computed !== event.hash) {
      return { ok: false, length: index, index, hash: event.hash, reason: `hash does not match its content (computed ${computed})` };
    }
    if (event.parentHash !== previous) {
      return {
        ok: false,
        length: index,
        index,
        hash: event.hash,
        reason: `parentHash ${String(event.parentHash)} does not link to the previous event (${String(previous)})`,
      };
    }
    // The stored bytes must be the one canonical encoding, so even a change JSON.parse would read as
    // the same value (an exponent's `e` written `E`, say) is caught.
    if (eventLine(event) !== lines[index]) {
      return { ok: false, length: index, index, hash: event.hash, reason: 'line is not the canonical encoding of its event' };
    }
    previous = event.hash;
  }
  return { ok: true, length: lines.length, head: previous };
}

/** What the writer of a chain knows it wrote: how many events, ending at which hash. */
export interface RecordedHead {
  length: number;
  head: string | null;
}

/**
 * Verifies stored lines (see `verifyLines`) and also checks them against what their writer recorded,
 * which catches what links alone cannot: events cut off the end, or well-linked events appended that
 * the writer never produced. `before` is the writer's head taken just before the lines were read (all
 * of it must be stored, ending at that hash); `afterLength` is its length just after (events written
 * while reading may be stored too, but never more than that).
 */
export function verifyLinesAgainst(lines: string[], before: RecordedHead, afterLength: number): VerifyResult {
  const result = verifyLines(lines);
  if (!result.ok) return result;
  if (result.length < before.length) {
    return {
      ok: false,
      length: result.length,
      index: result.length,
      reason: `the stored chain ends after ${result.length} events, but ${before.length} were recorded (ending at ${String(before.head)})`,
    };
  }
  if (before.length > 0) {
    const stored = parseLine(lines[before.length - 1]!);
    const hash = 'event' in stored ? stored.event.hash : undefined;
    if (hash !== before.head) {
      return {
        ok: false,
        length: before.length - 1,
        index: before.length - 1,
        ...(hash !== undefined ? { hash } : {}),
        reason: `event ${before.length - 1} is not the one recorded there (recorded ${String(before.head)})`,
      };
    }
  }
  if (result.length > afterLength) {
    const stored = parseLine(lines[afterLength]!);
    return {
      ok: false,
      length: afterLength,
      index: afterLength,
      ...('event' in stored ? { hash: stored.event.hash } : {}),
      reason: `the stored chain holds ${result.length} events, but only ${afterLength} were recorded: event ${afterLength} was never produced by the actor`,
    };
  }
  return result;
}

/** Verifies a persisted chain file (see `verifyLines`). */
export async function verifyChainFile(path: string): Promise<VerifyResult> {
  return verifyLines(splitLines(await readFile(path, 'utf8')));
}
