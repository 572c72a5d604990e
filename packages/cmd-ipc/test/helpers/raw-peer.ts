import { createChannelPair, parseMessage, type ChannelPairOptions, type InMemoryChannel, type Message } from '../../src/index.js';

/** A protocol peer driven by hand: the test sends raw messages and awaits the ones the registry sends. */
export interface RawPeer {
  /** The end to give the registry. */
  channel: InMemoryChannel;
  /** Every message received so far, in order. */
  received: Message[];
  /** Sends a raw value to the registry. */
  send(message: unknown): void;
  /** Resolves with the next received message matching `predicate` (searching already-received ones first). */
  next<T extends Message['type']>(type: T, predicate?: (message: Extract<Message, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<Message, { type: T }>>;
  /** Closes the pair. */
  close(): Promise<void>;
}

/** Creates a raw peer; `strict` makes it a strict v1 peer that rejects (records) any non-conforming message. */
export async function createRawPeer(channelId = 'peer', options: ChannelPairOptions & { strict?: boolean } = {}): Promise<RawPeer & { violations: string[] }> {
  const [mine, theirs] = createChannelPair(channelId, `${channelId}-raw`, options);
  const received: Message[] = [];
  const violations: string[] = [];
  const waiters = new Set<() => void>();
  theirs.on('message', (value) => {
    try {
      received.push(parseMessage(value, { strict: options.strict === true }));
    } catch (error) {
      violations.push((error as Error).message);
    }
    for (const wake of [...waiters]) wake();
  });
  await theirs.start();
  const consumed = new Set<Message>();
  return {
    channel: mine,
    received,
    violations,
    send: (message) => theirs.sendMessage(message as Message),
    next(type, predicate, timeoutMs = 2000) {
      type M = Extract<Message, { type: typeof type }>;
      const find = (): M | undefined =>
        received.find((m): m is M => !consumed.has(m) && m.type === type && (predicate === undefined || predicate(m as never))) as M | undefined;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find();
          if (!found) return;
          consumed.add(found);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found as never);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} message within ${timeoutMs} ms; received: ${received.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => theirs.close(),
  };
}

/** Waits until `condition()` is true, polling on the event loop, or throws after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
