import type { ChildProcess } from 'node:child_process';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { ChildProcessChannel, CommandRegistry } from 'cmd-ipc';
import { compare } from '../harness/compare.js';
import { collectGarbage } from '../harness/measure.js';
import { ECHO_REQUEST } from '../harness/payload.js';
import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import type { PhaseStats } from '../harness/types.js';
import { PROGRESS_COMMAND, type RawSubscriberMessage, TICK_EVENT, countCommand } from '../peers/subscriber-protocol.js';
import { forkPeer, stopChild, waitForMessage, waitForReady } from '../process/children.js';

const SUBSCRIBERS = 3;
/** Most events the emitter may be ahead of its slowest subscriber, so nothing buffers without bound. */
const WINDOW = 4096;
/** A subscriber that reports no progress for this long fails the scenario rather than hang it. */
const STALL_MS = 15_000;

/** One way of delivering events to the subscribers. */
abstract class EventPath {
  emitted = 0;
  readonly acked = new Array<number>(SUBSCRIBERS).fill(0);
  private wake: (() => void) | undefined;

  constructor(readonly label: string, protected readonly children: ChildProcess[]) {}

  abstract emit(): void;
  /** Each subscriber's count, once it has handled every event sent before the question. */
  abstract counts(): Promise<number[]>;
  abstract close(): Promise<void>;

  protected progress(index: number, count: number): void {
    this.acked[index] = Math.max(this.acked[index]!, count);
    this.wake?.();
  }

  /** Resolves on the next progress report; rejects after STALL_MS. */
  nextProgress(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no subscriber progress for ${STALL_MS} ms`)), STALL_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

class RawPath extends EventPath {
  constructor(children: ChildProcess[]) {
    super('process.send to each', children);
    children.forEach((child, index) =>
      child.on('message', (message: RawSubscriberMessage) => {
        if (message.type === 'progress') this.progress(index, message.count);
      }),
    );
  }

  emit(): void {
    for (const child of this.children) child.send(ECHO_REQUEST);
    this.emitted++;
  }

  counts(): Promise<number[]> {
    return Promise.all(
      this.children.map((child) => {
        const answer = waitForMessage(child, (m) => ((m as RawSubscriberMessage).type === 'count' ? (m as RawSubscriberMessage).count : undefined), 'a count');
        child.send({ type: 'count' });
        return answer;
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => stopChild(child)));
  }
}

class OursPath extends EventPath {
  constructor(children: ChildProcess[], private readonly registry: CommandRegistry) {
    super('emitEvent', children);
  }

  static async start(children: ChildProcess[]): Promise<OursPath> {
    const registry = new CommandRegistry({ id: 'bench-emitter' });
    const path = new OursPath(children, registry);
    await registry.registerCommand(PROGRESS_COMMAND, (request: unknown) => {
      const { index, count } = request as { index: number; count: number };
      path.progress(index, count);
    });
    await Promise.all(children.map((child, index) => registry.registerChannel(new ChildProcessChannel(child, { id: `subscriber-${index}` }))));
    await Promise.all(children.map((_, index) => registry.waitForCommand(countCommand(index), { timeoutMs: 15_000 })));
    return path;
  }

  emit(): void {
    this.registry.emitEvent(TICK_EVENT, ECHO_REQUEST);
    this.emitted++;
  }

  async counts(): Promise<number[]> {
    return Promise.all(
      this.children.map(async (_, index) => ((await this.registry.executeCommand(countCommand(index))) as { count: number }).count),
    );
  }

  async close(): Promise<void> {
    await this.registry.dispose();
    await Promise.all(this.children.map((child) => stopChild(child)));
  }
}

function startSubscribers(mode: 'raw' | 'ours'): ChildProcess[] {
  return Array.from({ length: SUBSCRIBERS }, (_, index) => forkPeer('peers/subscriber', { mode, index }));
}

/** Emits for `durationMs` (or `maxEvents`), never more than WINDOW ahead of the slowest subscriber. */
async function pump(path: EventPath, durationMs: number, maxEvents: number): Promise<void> {
  const end = performance.now() + durationMs;
  for (let sent = 0; sent < maxEvents; ) {
    if ((sent & 63) === 0) {
      if (performance.now() >= end) break;
      // Let the pipes drain and the progress reports in.
      await yieldToLoop();
    }
    if (path.emitted - Math.min(...path.acked) >= WINDOW) {
      await path.nextProgress();
      continue;
    }
    path.emit();
    sent++;
  }
}

/** Deliveries per second across all subscribers, from the first emit to the last delivery. */
async function measure(path: EventPath, durationMs: number, maxEvents: number): Promise<PhaseStats> {
  collectGarbage();
  const before = await path.counts();
  const start = performance.now();
  await pump(path, durationMs, maxEvents);
  const after = await path.counts();
  const seconds = (performance.now() - start) / 1000;
  const count = after.reduce((sum, value, index) => sum + value - before[index]!, 0);
  return { count, seconds, perSecond: count / seconds };
}

/** Events: one emitter, three subscriber processes; events delivered per second, raw IPC vs emitEvent. */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { budget } = context;
  const paths: EventPath[] = [];
  try {
    context.progress('starting 3 raw subscribers');
    const rawChildren = startSubscribers('raw');
    paths.push(new RawPath(rawChildren));
    await Promise.all(rawChildren.map((child) => waitForReady(child, 'a raw subscriber')));
    context.progress('starting 3 registry subscribers');
    const oursChildren = startSubscribers('ours');
    const ours = await OursPath.start(oursChildren).catch(async (error: unknown) => {
      await Promise.all(oursChildren.map((child) => stopChild(child)));
      throw error;
    });
    paths.push(ours);
    const [raw] = paths as [EventPath, EventPath];
    for (const path of [raw, ours]) {
      context.progress(`warm-up: ${path.label}`);
      await pump(path, budget.warmupMs, budget.maxCalls);
    }
    context.progress(`measuring: ${raw.label}`);
    const floor = await measure(raw, budget.phaseMs, budget.maxCalls);
    context.progress(`measuring: ${ours.label}`);
    const measured = await measure(ours, budget.phaseMs, budget.maxCalls);
    return {
      status: 'ok',
      comparisons: [
        compare({ name: 'events', mode: `${SUBSCRIBERS} subscribers`, unit: 'events/s', floorLabel: raw.label, oursLabel: ours.label }, floor, measured),
      ],
      note: `Emitter here, ${SUBSCRIBERS} subscribers each in its own child process (fork IPC, JSON), payload {a:1,b:2}. Figures are deliveries per second summed over the subscribers; the emitter stays at most ${WINDOW} events ahead of the slowest one. Floor: process.send of the payload to each child. Ours: emitEvent on a root registry with the 3 children as channels.`,
    };
  } finally {
    await Promise.all(paths.map((path) => path.close()));
  }
}
