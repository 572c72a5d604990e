import type { JsonValue } from '../json/json-value.js';
import { makeEvent, type ChainEvent, type ChainEventType } from './chain-event.js';
import type { ChainSink } from './chain-sink.js';
import { parseChainLines } from './verify.js';

/**
 * An actor's append-only chain of hashed events. Only the head is kept in memory; the events
 * themselves live in the sink (a JSON-lines file when the runtime has a data directory).
 */
export class EventChain {
  private headHash: string | null = null;
  private count = 0;

  constructor(private readonly sink: ChainSink) {}

  /** The hash of the last event, or null for an empty chain. */
  get head(): string | null {
    return this.headHash;
  }

  /** How many events the chain holds. */
  get length(): number {
    return this.count;
  }

  /** Appends an event after the current head and returns it. */
  append(type: ChainEventType, data: JsonValue): ChainEvent {
    const event = makeEvent(type, data, this.headHash);
    this.sink.write(event);
    this.headHash = event.hash;
    this.count++;
    return event;
  }

  /** The stored lines, exactly as persisted. */
  lines(): Promise<string[]> {
    return this.sink.readLines();
  }

  /** Every stored event, parsed (throws on a line that is not an event; use verify to diagnose). */
  async events(): Promise<ChainEvent[]> {
    return parseChainLines(await this.sink.readLines());
  }

  /** Waits until every appended event is stored. */
  flush(): Promise<void> {
    return this.sink.flush();
  }

  /** Flushes and releases the sink. */
  close(): Promise<void> {
    return this.sink.close();
  }
}
