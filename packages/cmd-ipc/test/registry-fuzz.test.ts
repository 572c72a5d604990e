import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandRegistry, type ChannelCloseListener, type ChannelMessageListener, type CommandChannel, type Message } from '../src/index.js';

/** A channel whose inbound side the test drives synchronously, so a throw from the registry's listener would surface here. */
class ManualChannel implements CommandChannel {
  readonly sent: Message[] = [];
  private onMessage: ChannelMessageListener[] = [];
  private onClose: ChannelCloseListener[] = [];
  private closed = false;
  constructor(readonly id: string, readonly extensions: boolean) {}
  async start(): Promise<void> {}
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.onClose) listener();
  }
  sendMessage(message: Message): void {
    this.sent.push(message);
  }
  on(event: 'message' | 'close', listener: ChannelMessageListener | ChannelCloseListener): void {
    if (event === 'message') this.onMessage.push(listener as ChannelMessageListener);
    else this.onClose.push(listener as ChannelCloseListener);
  }
  deliver(value: unknown): void {
    for (const listener of this.onMessage) listener(value);
  }
}

const ids = ['a', 'b', 'c', 'svc.x', 'svc.y', '_private', 'local.cmd'];
const pick = (values: string[]) => fc.constantFrom(...values);

describe('a registry fed random message sequences', () => {
  it('never throws out of its channel handler and settles every pending call on dispose()', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.nat({ max: 2 }),
            fc.oneof(
              fc.record({ id: pick(ids), type: fc.constant('list.commands.response'), thid: pick(ids), commands: fc.array(fc.record({ id: pick(ids) }), { maxLength: 3 }) }),
              fc.record({ id: pick(ids), type: fc.constant('register.command.request'), command: fc.record({ id: pick(ids) }) }),
              fc.record({ id: pick(ids), type: fc.constant('register.command.response'), thid: fc.string(), response: fc.constantFrom({ ok: true }, { ok: false, error: 'duplicate_command' }) }),
              fc.record({ id: fc.uuid(), type: fc.constant('execute.command.request'), commandId: pick(ids), request: fc.jsonValue(), meta: fc.record({ caller: fc.string(), deadline: fc.integer() }, { requiredKeys: [] }) }),
              fc.record({ id: fc.uuid(), type: fc.constant('execute.command.response'), thid: fc.string(), response: fc.constantFrom({ ok: true, result: 1 }, { ok: false, error: { code: 'timeout', message: 'm' } }, { ok: 'maybe' }) }),
              fc.record({ id: pick(ids), type: fc.constant('event'), eventId: pick(ids), payload: fc.jsonValue() }),
              fc.record({ id: pick(ids), type: fc.constant('list.commands.request') }),
              fc.anything(),
            ),
          ),
          { maxLength: 40 },
        ),
        fc.boolean(),
        async (sequence, answerPending) => {
          const registry = new CommandRegistry({ id: 'fuzzed', routerChannel: 'router', requestTTL: 60_000 });
          const channels = [new ManualChannel('router', true), new ManualChannel('p1', false), new ManualChannel('p2', true)];
          for (const channel of channels) await registry.registerChannel(channel);
          await registry.registerCommand('_local.cmd', () => 'ok');
          const calls: Promise<unknown>[] = [
            registry.executeCommand('svc.x'),
            registry.executeCommand('a', { n: 1 }),
            registry.registerCommand('local.cmd', () => 1),
          ];
          for (const [target, message] of sequence) {
            expect(() => channels[target]!.deliver(message)).not.toThrow();
            if (answerPending) {
              // Answer some real pending requests by thid, to mix genuine settlement into the noise.
              const request = channels[0]!.sent.find((m) => m.type === 'execute.command.request');
              if (request) expect(() => channels[0]!.deliver({ id: 'ans', type: 'execute.command.response', thid: request.id, response: { ok: true } })).not.toThrow();
            }
            await Promise.resolve();
          }
          await registry.dispose();
          const settled = await Promise.race([
            Promise.allSettled(calls).then(() => true),
            new Promise((resolve) => setTimeout(() => resolve(false), 1000)),
          ]);
          expect(settled).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
