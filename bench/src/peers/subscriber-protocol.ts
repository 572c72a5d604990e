/** A subscriber reports how many events it has seen every this many events. */
export const PROGRESS_EVERY = 256;

/** The event id of the "ours" path. */
export const TICK_EVENT = 'bench.tick';

/** The command subscribers execute on the emitter to report progress ("ours" path). */
export const PROGRESS_COMMAND = 'bench.progress';

/** The command the emitter executes on subscriber `index` to read its final count ("ours" path). */
export function countCommand(index: number): string {
  return `bench.sub${index}.count`;
}

/** What a subscriber is told. */
export interface SubscriberConfig {
  mode: 'raw' | 'ours';
  index: number;
}

/** Raw path control messages (events themselves are the bare payload). */
export type RawSubscriberMessage = { type: 'progress'; count: number } | { type: 'count'; count: number };
