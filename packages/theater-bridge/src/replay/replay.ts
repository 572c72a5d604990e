import { makeEvent, type ChainEvent, type ChainEventType } from '../chain/chain-event.js';
import { isJsonObject, type JsonValue } from '../json/json-value.js';
import { interpretCall } from '../runtime/call-outcome.js';
import { ActorWorker } from '../worker/actor-worker.js';

/** The outcome of a replay. */
export type ReplayResult =
  | { ok: true; events: number; head: string | null }
  | {
      ok: false;
      /** Index of the first event the replay could not reproduce. */
      index: number;
      /** The recorded hash at that index (absent when the replay produced more events than recorded). */
      expected?: string;
      /** The hash the replay produced there (absent when it produced nothing). */
      actual?: string;
      reason: string;
    };

/** Options for `replayChain`. */
export interface ReplayOptions {
  /** The module to run; its SHA-256 must be the one the chain's `actor.start` records. */
  module: WebAssembly.Module;
  moduleHash: string;
  sharedBytes?: number;
}

class Divergence extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(reason);
  }
}

/**
 * Re-runs an actor from its recorded chain. Inputs from outside (export parameters, restarts, stops)
 * are taken from the chain; the actor itself runs again, and every host call it makes is answered
 * with the output recorded for it instead of calling out. Each event the run produces is hashed
 * onto the replayed chain and must equal the recorded hash; the first that does not is reported.
 * A call the original run interrupted (stop or restart mid-call) is carried over, not re-run.
 */
export async function replayChain(events: ChainEvent[], options: ReplayOptions): Promise<ReplayResult> {
  const replay = new Replayer(events, options);
  try {
    await replay.run();
    return { ok: true, events: events.length, head: replay.head };
  } catch (error) {
    if (error instanceof Divergence) {
      return {
        ok: false,
        index: error.index,
        reason: error.reason,
        ...(error.expected !== undefined ? { expected: error.expected } : {}),
        ...(error.actual !== undefined ? { actual: error.actual } : {}),
      };
    }
    throw error;
  } finally {
    await replay.close();
  }
}

class Replayer {
  head: string | null = null;
  private index = 0;
  private state: JsonValue = null;
  private actorId = '';
  private timeoutMs = 5_000;
  private worker: ActorWorker | undefined;
  private divergence: Divergence | undefined;

  constructor(
    private readonly events: ChainEvent[],
    private readonly options: ReplayOptions,
  ) {}

  /** Replays every event; throws Divergence at the first one that is not reproduced. */
  async run(): Promise<void> {
    const first = this.events[0];
    if (!first) return;
    if (first.type !== 'actor.start' || !isJsonObject(first.data)) throw new Divergence(0, 'the chain does not begin with actor.start', first.hash);
    if (first.data.module !== this.options.moduleHash) {
      throw new Divergence(0, `the chain was recorded with module ${String(first.data.module)}, not ${this.options.moduleHash}`, first.hash);
    }
    this.actorId = String(first.data.actorId);
    this.timeoutMs = typeof first.data.callTimeoutMs === 'number' ? first.data.callTimeoutMs : this.timeoutMs;
    this.state = first.data.state ?? null;
    this.produce('actor.start', first.data);
    await this.newInstance();
    while (this.index < this.events.length) {
      const event = this.events[this.index]!;
      switch (event.type) {
        case 'export.call':
          await this.replayCall(event);
          break;
        case 'actor.restart':
          this.produce('actor.restart', event.data);
          this.state = isJsonObject(event.data) ? (event.data.state ?? null) : null;
          await this.newInstance();
          break;
        case 'actor.stop':
          this.produce('actor.stop', event.data);
          break;
        default:
          throw new Divergence(this.index, `unexpected ${event.type} outside an export call`, event.hash);
      }
    }
  }

  /** Stops the replay's worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Hashes an event onto the replayed chain and checks it against the recorded one at the same index. */
  private produce(type: ChainEventType, data: JsonValue): void {
    const expected = this.events[this.index];
    const actual = makeEvent(type, data, this.head);
    if (!expected) throw new Divergence(this.index, `the replay produced ${type} beyond the end of the recorded chain`, undefined, actual.hash);
    if (actual.hash !== expected.hash) {
      throw new Divergence(this.index, `recorded ${expected.type}, replay produced ${type} with a different hash`, expected.hash, actual.hash);
    }
    this.head = actual.hash;
    this.index++;
  }

  private async newInstance(): Promise<void> {
    await this.worker?.terminate();
    this.worker = await ActorWorker.start(this.options.module, {
      name: `replay-${this.actorId}`,
      ...(this.options.sharedBytes !== undefined ? { sharedBytes: this.options.sharedBytes } : {}),
      onHostCall: async (iface, fn, input) => this.serveHost(iface, fn, input),
    });
  }

  private async replayCall(call: ChainEvent): Promise<void> {
    const data = isJsonObject(call.data) ? call.data : {};
    const name = String(data.export);
    const params = data.params ?? null;
    this.produce('export.call', call.data);
    if (this.interrupted()) {
      // The original run never finished this call; carry its recorded events over as they are.
      while (this.events[this.index]?.type === 'host.call') this.produce('host.call', this.events[this.index]!.data);
      this.produce('export.error', this.events[this.index]!.data);
      return;
    }
    const worker = this.worker;
    if (!worker || !worker.alive) throw new Divergence(this.index, `no live instance to run ${name} (the recorded chain has no restart before it)`);
    const outcome = await worker.call(name, JSON.stringify(this.state), JSON.stringify(params), this.timeoutMs);
    if (this.divergence) throw this.divergence;
    const interpreted = interpretCall(this.actorId, name, outcome);
    this.produce(interpreted.event.type, interpreted.event.data);
    if (interpreted.outcome.ok) this.state = interpreted.outcome.state;
  }

  /** True when the call at the cursor ended as `interrupted` in the original run. */
  private interrupted(): boolean {
    let i = this.index;
    while (this.events[i]?.type === 'host.call') i++;
    const end = this.events[i];
    return end?.type === 'export.error' && isJsonObject(end.data) && end.data.reason === 'interrupted';
  }

  private serveHost(iface: string, fn: string, inputText: string): string {
    const expected = this.events[this.index];
    let input: JsonValue;
    try {
      input = JSON.parse(inputText) as JsonValue;
    } catch {
      input = inputText;
    }
    const output = expected?.type === 'host.call' && isJsonObject(expected.data) ? (expected.data.output ?? null) : null;
    try {
      this.produce('host.call', { interface: iface, function: fn, input, output });
    } catch (error) {
      // Remember the divergence and stop the instance: it must not run on with an answer it was never given.
      this.divergence ??= error as Divergence;
      void this.worker?.terminate('replay diverged');
      return JSON.stringify({ ok: false, error: { code: 'internal_error', message: 'replay diverged' } });
    }
    return JSON.stringify(output);
  }
}
