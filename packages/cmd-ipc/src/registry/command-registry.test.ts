import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createRawPeer, until } from '../../test/helpers/raw-peer.js';
import { createChannelPair } from '../channels/in-memory.js';
import type { ExecuteCommandResponse } from '../protocol/messages.js';
import { CommandRegistry, DuplicateChannelError } from './command-registry.js';
import { ChannelDisconnectedError, CommandError } from './errors.js';

const registries: CommandRegistry[] = [];
function registry(options: ConstructorParameters<typeof CommandRegistry>[0] = {}): CommandRegistry {
  const r = new CommandRegistry(options);
  registries.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.dispose()));
});

/** Links a child (routerChannel 'up') to a parent; returns both channel ends. */
async function link(parent: CommandRegistry, child: CommandRegistry, downId = `down-${child.id}`) {
  const [down, up] = createChannelPair(downId, 'up');
  await parent.registerChannel(down);
  await child.registerChannel(up);
  return { down, up };
}

function errorOf(response: ExecuteCommandResponse): { code: string; message: string } | undefined {
  return response.response.ok ? undefined : response.response.error;
}

describe('rule 1: connecting a channel', () => {
  it('refuses a second channel with an id already in use', async () => {
    const r = registry({ id: 'r' });
    await r.registerChannel(createChannelPair('same', 'x')[0]);
    await expect(r.registerChannel(createChannelPair('same', 'y')[0])).rejects.toBeInstanceOf(DuplicateChannelError);
    await expect(r.registerChannel(createChannelPair('same', 'z')[0])).rejects.toThrow(/already has a channel with id same/);
  });

  it('starts the channel, then sends it a list.commands.request', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer();
    await r.registerChannel(peer.channel);
    const first = await peer.next('list.commands.request');
    expect(peer.received[0]).toBe(first);
  });
});

describe('rule 2: list.commands.request in', () => {
  it('answers with every local non-private command definition, thid = request id', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('math.add', () => 1, { description: 'adds', schema: { request: z.object({ a: z.number() }) } });
    await r.registerCommand('_secret', () => 2);
    const peer = await createRawPeer();
    await r.registerChannel(peer.channel);
    peer.send({ id: 'list-1', type: 'list.commands.request' });
    const response = await peer.next('list.commands.response', (m) => m.thid === 'list-1');
    expect(response.commands.map((c) => c.id)).toEqual(['math.add']);
    expect(response.commands[0]?.description).toBe('adds');
    expect(response.commands[0]?.schema?.request).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
  });
});

describe('rule 3: list.commands.response in', () => {
  it('records each advertised command as remote, owned by that channel, with its definition', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p1');
    await r.registerChannel(peer.channel);
    const list = await peer.next('list.commands.request');
    peer.send({ id: 'l1', type: 'list.commands.response', thid: list.id, commands: [{ id: 'svc.a', description: 'A' }] });
    await r.waitForCommand('svc.a', { timeoutMs: 1000 });
    expect(r.listCommands()).toContainEqual({ id: 'svc.a', description: 'A', owner: 'p1' });
  });

  it('never replaces a local command nor one owned by another channel', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('mine', () => 'local');
    const p1 = await createRawPeer('p1');
    const p2 = await createRawPeer('p2');
    await r.registerChannel(p1.channel);
    await r.registerChannel(p2.channel);
    p1.send({ id: 'l1', type: 'list.commands.response', thid: 'x', commands: [{ id: 'shared' }] });
    await r.waitForCommand('shared', { timeoutMs: 1000 });
    p2.send({ id: 'l2', type: 'list.commands.response', thid: 'y', commands: [{ id: 'shared' }, { id: 'mine' }, { id: 'p2.only' }] });
    await r.waitForCommand('p2.only', { timeoutMs: 1000 });
    const owners = Object.fromEntries(r.listCommands().map((c) => [c.id, c.owner]));
    expect(owners).toEqual({ mine: 'local', shared: 'p1', 'p2.only': 'p2' });
    expect(await r.executeCommand('mine')).toBe('local');
  });
});

describe('rule 4: registerCommand (local)', () => {
  it('rejects a duplicate id', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('a', () => 1);
    await expect(r.registerCommand('a', () => 2)).rejects.toMatchObject({ code: 'duplicate_command', message: expect.stringContaining('a') });
  });

  it('on a child, sends register.command.request and makes the command visible only after {ok: true}', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer' });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    const registering = child.registerCommand('svc.x', () => 'x', { description: 'X' });
    const request = await router.next('register.command.request');
    expect(request.command).toEqual({ id: 'svc.x', description: 'X' });
    expect(child.hasCommand('svc.x')).toBe(false);
    router.send({ id: 'r1', type: 'register.command.response', thid: request.id, response: { ok: true } });
    await registering;
    expect(child.hasCommand('svc.x')).toBe(true);
  });

  it('is visible the moment {ok: true} arrives, so a call routed in the same read is served', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer' });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    const registering = child.registerCommand('svc.now', () => 'served');
    const request = await router.next('register.command.request');
    // Both messages are delivered in one flush, before the registerCommand promise's continuation runs.
    router.send({ id: 'r1', type: 'register.command.response', thid: request.id, response: { ok: true } });
    router.send({ id: 'call-1', type: 'execute.command.request', commandId: 'svc.now' });
    const answer = await router.next('execute.command.response', (m) => m.thid === 'call-1');
    expect(answer.response).toEqual({ ok: true, result: 'served' });
    await registering;
  });

  it('rejects with duplicate_command when the router refuses', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer' });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    const registering = child.registerCommand('svc.x', () => 'x');
    const request = await router.next('register.command.request');
    router.send({ id: 'r1', type: 'register.command.response', thid: request.id, response: { ok: false, error: 'duplicate_command' } });
    await expect(registering).rejects.toMatchObject({ code: 'duplicate_command', message: expect.stringContaining('svc.x') });
    expect(child.hasCommand('svc.x')).toBe(false);
  });

  it('rejects with timeout when the router does not answer within the request TTL', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer', requestTTL: 100 });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    await expect(child.registerCommand('svc.x', () => 'x')).rejects.toMatchObject({ code: 'timeout' });
    expect(child.hasCommand('svc.x')).toBe(false);
  });

  it('rejects with channel_disconnected when the router goes away', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer' });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    const registering = child.registerCommand('svc.x', () => 'x');
    await router.next('register.command.request');
    await router.close();
    await expect(registering).rejects.toBeInstanceOf(ChannelDisconnectedError);
  });

  it('never escalates a private command', async () => {
    const child = registry({ id: 'child', routerChannel: 'peer' });
    const router = await createRawPeer('peer');
    await child.registerChannel(router.channel);
    await child.registerCommand('_private', () => 1);
    const publicRegistration = child.registerCommand('public', () => 2);
    const request = await router.next('register.command.request');
    router.send({ id: 'ok', type: 'register.command.response', thid: request.id, response: { ok: true } });
    await publicRegistration;
    expect(request.command.id).toBe('public');
    expect(router.received.filter((m) => m.type === 'register.command.request')).toHaveLength(1);
    expect(child.hasCommand('_private')).toBe(true);
  });
});

describe('rule 5: register.command.request in', () => {
  async function rootWithPeers() {
    const root = registry({ id: 'root' });
    await root.registerCommand('local.cmd', () => 1);
    const p1 = await createRawPeer('p1');
    const p2 = await createRawPeer('p2');
    await root.registerChannel(p1.channel);
    await root.registerChannel(p2.channel);
    return { root, p1, p2 };
  }
  const register = (peer: { send(m: unknown): void }, id: string, commandId: string, description?: string) =>
    peer.send({ id, type: 'register.command.request', command: description ? { id: commandId, description } : { id: commandId } });

  it('answers duplicate_command for a local id', async () => {
    const { p1 } = await rootWithPeers();
    register(p1, 'q1', 'local.cmd');
    const answer = await p1.next('register.command.response', (m) => m.thid === 'q1');
    expect(answer.response).toEqual({ ok: false, error: 'duplicate_command' });
  });

  it('refreshes the definition and answers ok when the same channel registers again', async () => {
    const { root, p1 } = await rootWithPeers();
    register(p1, 'q1', 'svc.a', 'v1');
    expect((await p1.next('register.command.response', (m) => m.thid === 'q1')).response).toEqual({ ok: true });
    register(p1, 'q2', 'svc.a', 'v2');
    expect((await p1.next('register.command.response', (m) => m.thid === 'q2')).response).toEqual({ ok: true });
    expect(root.listCommands().find((c) => c.id === 'svc.a')).toEqual({ id: 'svc.a', description: 'v2', owner: 'p1' });
  });

  it('answers duplicate_command when another channel owns the id', async () => {
    const { p1, p2 } = await rootWithPeers();
    register(p1, 'q1', 'svc.a');
    await p1.next('register.command.response', (m) => m.thid === 'q1');
    register(p2, 'q2', 'svc.a');
    expect((await p2.next('register.command.response', (m) => m.thid === 'q2')).response).toEqual({ ok: false, error: 'duplicate_command' });
  });

  it('a root records it and answers ok', async () => {
    const { root, p1 } = await rootWithPeers();
    register(p1, 'q1', 'svc.b');
    expect((await p1.next('register.command.response', (m) => m.thid === 'q1')).response).toEqual({ ok: true });
    expect(root.listCommands().find((c) => c.id === 'svc.b')?.owner).toBe('p1');
  });

  it('a child escalates to its router first and answers only after the router does', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    const below = await createRawPeer('below');
    await child.registerChannel(router.channel);
    await child.registerChannel(below.channel);
    register(below, 'q1', 'deep.cmd');
    const escalated = await router.next('register.command.request', (m) => m.command.id === 'deep.cmd');
    expect(below.received.some((m) => m.type === 'register.command.response')).toBe(false);
    expect(child.hasCommand('deep.cmd')).toBe(false);
    router.send({ id: 'a1', type: 'register.command.response', thid: escalated.id, response: { ok: true } });
    expect((await below.next('register.command.response', (m) => m.thid === 'q1')).response).toEqual({ ok: true });
    expect(child.listCommands().find((c) => c.id === 'deep.cmd')?.owner).toBe('below');
  });

  it('a child passes the router refusal down', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    const below = await createRawPeer('below');
    await child.registerChannel(router.channel);
    await child.registerChannel(below.channel);
    register(below, 'q1', 'deep.cmd');
    const escalated = await router.next('register.command.request', (m) => m.command.id === 'deep.cmd');
    router.send({ id: 'a1', type: 'register.command.response', thid: escalated.id, response: { ok: false, error: 'duplicate_command' } });
    expect((await below.next('register.command.response', (m) => m.thid === 'q1')).response).toEqual({ ok: false, error: 'duplicate_command' });
    expect(child.hasCommand('deep.cmd')).toBe(false);
  });

  it('a child does not escalate a registration that came from its router', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    await child.registerChannel(router.channel);
    register(router, 'q1', 'from.above');
    expect((await router.next('register.command.response', (m) => m.thid === 'q1')).response).toEqual({ ok: true });
    expect(router.received.filter((m) => m.type === 'register.command.request')).toHaveLength(0);
  });
});

describe('rule 6: executeCommand (local)', () => {
  it('a local handler wins over a remote owner of the same id', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    await r.registerCommand('dup', () => 'local');
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'dup' }] });
    await until(() => peer.received.length > 0, 'list request');
    expect(await r.executeCommand('dup')).toBe('local');
    expect(peer.received.some((m) => m.type === 'execute.command.request')).toBe(false);
  });

  it('sends execute.command.request to a known remote owner and resolves with its result', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'remote.add' }] });
    await r.waitForCommand('remote.add', { timeoutMs: 1000 });
    const result = r.executeCommand('remote.add', { a: 1, b: 2 });
    const request = await peer.next('execute.command.request');
    expect(request).toMatchObject({ commandId: 'remote.add', request: { a: 1, b: 2 } });
    peer.send({ id: 'resp', type: 'execute.command.response', thid: request.id, response: { ok: true, result: 3 } });
    expect(await result).toBe(3);
  });

  it('a child sends an unknown command to its router', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    await child.registerChannel(router.channel);
    const result = child.executeCommand('elsewhere.cmd');
    const request = await router.next('execute.command.request');
    expect(request.commandId).toBe('elsewhere.cmd');
    router.send({ id: 'resp', type: 'execute.command.response', thid: request.id, response: { ok: true, result: 'ok' } });
    expect(await result).toBe('ok');
  });

  it('a root with no owner answers not_found, naming the command', async () => {
    const r = registry({ id: 'root' });
    await expect(r.executeCommand('no.such')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('no.such') });
  });

  it('a child whose router is not connected fails fast with channel_disconnected', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    await expect(child.executeCommand('x')).rejects.toMatchObject({ code: 'channel_disconnected', message: expect.stringContaining('router') });
  });

  it('keeps the pending call until its TTL, then rejects with timeout near the TTL (not at twice it)', async () => {
    const r = registry({ id: 'r', requestTTL: 300 });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'slow' }] });
    await r.waitForCommand('slow', { timeoutMs: 1000 });
    const started = Date.now();
    await expect(r.executeCommand('slow')).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('slow') });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(600);
  });

  it('timeoutMs overrides the TTL per call, for local handlers too', async () => {
    const r = registry({ id: 'r' });
    let aborted = false;
    await r.registerCommand('hang', (_req, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve(null); })));
    await expect(r.executeCommand('hang', undefined, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' });
    expect(aborted).toBe(true);
  });

  it('aborting the signal rejects at once and frees the pending entry', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'slow' }] });
    await r.waitForCommand('slow', { timeoutMs: 1000 });
    const controller = new AbortController();
    const call = r.executeCommand('slow', undefined, { signal: controller.signal });
    const request = await peer.next('execute.command.request');
    controller.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow('user gave up');
    // A late answer for the freed entry is dropped without effect.
    peer.send({ id: 'late', type: 'execute.command.response', thid: request.id, response: { ok: true, result: 1 } });
    expect(await r.executeCommand('slow', undefined, { signal: AbortSignal.abort(new Error('pre-aborted')) }).catch((e: Error) => e.message)).toBe('pre-aborted');
  });

  it('a pending call fails with channel_disconnected when its channel closes', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'slow' }] });
    await r.waitForCommand('slow', { timeoutMs: 1000 });
    const call = r.executeCommand('slow');
    await peer.next('execute.command.request');
    await peer.close();
    await expect(call).rejects.toMatchObject({ code: 'channel_disconnected', message: expect.stringMatching(/slow.*channel p/) });
  });
});

describe('rule 7: execute.command.request in', () => {
  it('runs a local handler and answers with its result (no result key for a void result)', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('echo', (req) => req);
    await r.registerCommand('void', () => undefined);
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'e1', type: 'execute.command.request', commandId: 'echo', request: { v: 1 } });
    peer.send({ id: 'e2', type: 'execute.command.request', commandId: 'void' });
    expect((await peer.next('execute.command.response', (m) => m.thid === 'e1')).response).toEqual({ ok: true, result: { v: 1 } });
    const voidAnswer = await peer.next('execute.command.response', (m) => m.thid === 'e2');
    expect(voidAnswer.response).toEqual({ ok: true });
    expect('result' in voidAnswer.response).toBe(false);
  });

  it('forwards to the owner and remembers the route; the answer goes back to the origin', async () => {
    const r = registry({ id: 'hub' });
    const owner = await createRawPeer('owner');
    const asker = await createRawPeer('asker');
    await r.registerChannel(owner.channel);
    await r.registerChannel(asker.channel);
    owner.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'svc.op' }] });
    await r.waitForCommand('svc.op', { timeoutMs: 1000 });
    asker.send({ id: 'req-1', type: 'execute.command.request', commandId: 'svc.op', request: { n: 1 } });
    const forwarded = await owner.next('execute.command.request');
    expect(forwarded).toMatchObject({ id: 'req-1', commandId: 'svc.op', request: { n: 1 } });
    owner.send({ id: 'resp-1', type: 'execute.command.response', thid: 'req-1', response: { ok: true, result: 'done' } });
    expect((await asker.next('execute.command.response')).response).toEqual({ ok: true, result: 'done' });
  });

  it('a child forwards an unknown command to its router', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    const below = await createRawPeer('below');
    await child.registerChannel(router.channel);
    await child.registerChannel(below.channel);
    below.send({ id: 'req-2', type: 'execute.command.request', commandId: 'up.there' });
    expect(await router.next('execute.command.request')).toMatchObject({ id: 'req-2', commandId: 'up.there' });
  });

  it('never forwards back to the channel it came from: answers not_found', async () => {
    const child = registry({ id: 'child', routerChannel: 'router' });
    const router = await createRawPeer('router');
    await child.registerChannel(router.channel);
    router.send({ id: 'req-3', type: 'execute.command.request', commandId: 'nobody.has.it' });
    const answer = await router.next('execute.command.response', (m) => m.thid === 'req-3');
    expect(errorOf(answer)?.code).toBe('not_found');
    expect(router.received.filter((m) => m.type === 'execute.command.request')).toHaveLength(0);
  });

  it('no owner and no router: not_found', async () => {
    const r = registry({ id: 'root' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'req-4', type: 'execute.command.request', commandId: 'ghost' });
    const answer = await peer.next('execute.command.response', (m) => m.thid === 'req-4');
    expect(errorOf(answer)).toEqual({ code: 'not_found', message: expect.stringContaining('ghost') });
  });
});

describe('rule 8: execute.command.response in', () => {
  it('an unmatched response is dropped and the registry keeps serving', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('ping', () => 'pong');
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'stray', type: 'execute.command.response', thid: 'nobody', response: { ok: true, result: 1 } });
    peer.send({ id: 'e', type: 'execute.command.request', commandId: 'ping' });
    expect((await peer.next('execute.command.response', (m) => m.thid === 'e')).response).toEqual({ ok: true, result: 'pong' });
  });

  it('a response from a channel other than the one called is not accepted for the pending call', async () => {
    const r = registry({ id: 'r', requestTTL: 200 });
    const owner = await createRawPeer('owner');
    const intruder = await createRawPeer('intruder');
    await r.registerChannel(owner.channel);
    await r.registerChannel(intruder.channel);
    owner.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'svc' }] });
    await r.waitForCommand('svc', { timeoutMs: 1000 });
    const call = r.executeCommand('svc');
    const request = await owner.next('execute.command.request');
    intruder.send({ id: 'spoof', type: 'execute.command.response', thid: request.id, response: { ok: true, result: 'forged' } });
    owner.send({ id: 'real', type: 'execute.command.response', thid: request.id, response: { ok: true, result: 'genuine' } });
    expect(await call).toBe('genuine');
  });
});

describe('rule 9: events', () => {
  it('emitEvent delivers locally and sends one event message, with one id, to every channel', async () => {
    const r = registry({ id: 'r' });
    const p1 = await createRawPeer('p1');
    const p2 = await createRawPeer('p2');
    await r.registerChannel(p1.channel);
    await r.registerChannel(p2.channel);
    const local = r.once('user.updated');
    r.emitEvent('user.updated', { userId: 42 });
    expect(await local).toEqual({ userId: 42 });
    const [e1, e2] = await Promise.all([p1.next('event'), p2.next('event')]);
    expect(e1).toEqual({ id: e2.id, type: 'event', eventId: 'user.updated', payload: { userId: 42 }, meta: undefined });
  });

  it('an event with no payload sends no payload key', async () => {
    const r = registry({ id: 'r' });
    const p1 = await createRawPeer('p1');
    await r.registerChannel(p1.channel);
    r.emitEvent('tick');
    const event = await p1.next('event');
    expect('payload' in event).toBe(false);
  });

  it('an inbound event is delivered and forwarded to every channel except its source; a repeat id is dropped entirely', async () => {
    const r = registry({ id: 'r' });
    const p1 = await createRawPeer('p1');
    const p2 = await createRawPeer('p2');
    await r.registerChannel(p1.channel);
    await r.registerChannel(p2.channel);
    const seen: unknown[] = [];
    r.addEventListener('news', (payload) => seen.push(payload));
    p1.send({ id: 'ev-1', type: 'event', eventId: 'news', payload: 1 });
    expect(await p2.next('event')).toMatchObject({ id: 'ev-1', eventId: 'news', payload: 1 });
    p2.send({ id: 'ev-1', type: 'event', eventId: 'news', payload: 1 });
    p1.send({ id: 'ev-2', type: 'event', eventId: 'news', payload: 2 });
    await p2.next('event', (m) => m.id === 'ev-2');
    expect(seen).toEqual([1, 2]);
    expect(p1.received.filter((m) => m.type === 'event')).toHaveLength(0);
  });

  it('private events never leave the registry', async () => {
    const r = registry({ id: 'r' });
    const p1 = await createRawPeer('p1');
    await r.registerChannel(p1.channel);
    const local = r.once('_internal');
    r.emitEvent('_internal', 'x');
    r.emitEvent('public');
    expect(await local).toBe('x');
    await p1.next('event', (m) => m.eventId === 'public');
    expect(p1.received.filter((m) => m.type === 'event').map((m) => (m as { eventId: string }).eventId)).toEqual(['public']);
  });

  it('a listener that throws does not stop the other listeners or the forwarding', async () => {
    const r = registry({ id: 'r' });
    const p1 = await createRawPeer('p1');
    const p2 = await createRawPeer('p2');
    await r.registerChannel(p1.channel);
    await r.registerChannel(p2.channel);
    const calls: string[] = [];
    r.addEventListener('boom', () => {
      calls.push('first');
      throw new Error('listener failure');
    });
    r.addEventListener('boom', () => calls.push('second'));
    p1.send({ id: 'ev-b', type: 'event', eventId: 'boom' });
    await p2.next('event', (m) => m.id === 'ev-b');
    expect(calls).toEqual(['first', 'second']);
  });

  it('addEventListener returns an unsubscribe function; removeEventListener works too', async () => {
    const r = registry({ id: 'r' });
    const seen: string[] = [];
    const a = (): void => void seen.push('a');
    const b = (): void => void seen.push('b');
    const stopA = r.addEventListener('e', a);
    r.addEventListener('e', b);
    r.emitEvent('e');
    stopA();
    r.removeEventListener('e', b);
    r.emitEvent('e');
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('rule 10: a channel closes', () => {
  it('drops the commands it owned', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'gone.soon' }] });
    await r.waitForCommand('gone.soon', { timeoutMs: 1000 });
    const closed = new Promise((resolve) => r.onChannelClosed(resolve));
    await peer.close();
    expect(await closed).toMatchObject({ registryId: 'r', channelId: 'p' });
    expect(r.hasCommand('gone.soon')).toBe(false);
    expect(r.listChannels()).toEqual([]);
  });

  it('answers the surviving origin of a route through it with channel_disconnected at once', async () => {
    const r = registry({ id: 'hub', requestTTL: 60_000 });
    const owner = await createRawPeer('owner');
    const asker = await createRawPeer('asker');
    await r.registerChannel(owner.channel);
    await r.registerChannel(asker.channel);
    owner.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'svc.op' }] });
    await r.waitForCommand('svc.op', { timeoutMs: 1000 });
    asker.send({ id: 'req-1', type: 'execute.command.request', commandId: 'svc.op' });
    await owner.next('execute.command.request');
    await owner.close();
    const answer = await asker.next('execute.command.response', (m) => m.thid === 'req-1', 1000);
    expect(errorOf(answer)?.code).toBe('channel_disconnected');
  });

  it('emits cmd-ipc.channel.closed to the rest of the mesh', async () => {
    const r = registry({ id: 'hub' });
    const gone = await createRawPeer('gone');
    const stays = await createRawPeer('stays');
    await r.registerChannel(gone.channel);
    await r.registerChannel(stays.channel);
    await gone.close();
    expect(await stays.next('event', (m) => m.eventId === 'cmd-ipc.channel.closed')).toMatchObject({
      payload: { registryId: 'hub', channelId: 'gone' },
    });
  });

  it('a cmd-ipc.* system event is trusted only from the router: a peer cannot forge one', async () => {
    const child = registry({ id: 'tcp-node', routerChannel: 'router' });
    const router = await createRawPeer('router');
    const spoke = await createRawPeer('spoke');
    await child.registerChannel(router.channel);
    await child.registerChannel(spoke.channel);
    const heard: unknown[] = [];
    child.addEventListener('cmd-ipc.channel.closed', (info) => heard.push(info));
    spoke.send({ id: 'forged', type: 'event', eventId: 'cmd-ipc.channel.closed', payload: { registryId: 'hub', channelId: 'x', identity: 'victim' } });
    spoke.send({ id: 'normal', type: 'event', eventId: 'app.ping' });
    await router.next('event', (m) => m.id === 'normal');
    router.send({ id: 'genuine', type: 'event', eventId: 'cmd-ipc.channel.closed', payload: { registryId: 'hub', channelId: 'y', identity: 'gone' } });
    await spoke.next('event', (m) => m.id === 'genuine');
    expect(heard).toEqual([{ registryId: 'hub', channelId: 'y', identity: 'gone' }]);
    expect(router.received.some((m) => m.id === 'forged')).toBe(false);
  });

  it('dispose() closes every channel and settles every pending call; nothing hangs', async () => {
    const r = new CommandRegistry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'slow' }] });
    await r.waitForCommand('slow', { timeoutMs: 1000 });
    await r.registerCommand('local.hang', (_req, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    const calls = [r.executeCommand('slow'), r.executeCommand('local.hang'), r.executeCommand('slow')];
    await peer.next('execute.command.request');
    await r.dispose();
    const outcomes = await Promise.allSettled(calls);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'channel_disconnected' });
    }
    await expect(r.executeCommand('slow')).rejects.toMatchObject({ code: 'channel_disconnected', message: expect.stringContaining('disposed') });
  });
});

describe('rule 11: errors keep their code end to end', () => {
  it('a thrown error carrying an execute code keeps it; any other throw is internal_error with its message', async () => {
    const root = registry({ id: 'root' });
    const child = registry({ id: 'child', routerChannel: 'up' });
    await link(root, child);
    await child.registerCommand('fails.coded', () => {
      throw Object.assign(new Error('upstream was slow'), { code: 'timeout' });
    });
    await child.registerCommand('fails.plain', () => {
      throw new Error('disk on fire');
    });
    await child.registerCommand('fails.class', () => {
      throw new ChannelDisconnectedError('lost the database');
    });
    await expect(root.executeCommand('fails.coded')).rejects.toMatchObject({ code: 'timeout', message: 'upstream was slow' });
    await expect(root.executeCommand('fails.plain')).rejects.toMatchObject({ code: 'internal_error', message: 'disk on fire' });
    await expect(root.executeCommand('fails.class')).rejects.toMatchObject({ code: 'channel_disconnected', message: 'lost the database' });
    await expect(child.executeCommand('fails.plain')).rejects.toBeInstanceOf(CommandError);
  });

  it('a request that fails the command schema is invalid_request with the zod message, and never reaches the handler', async () => {
    const root = registry({ id: 'root' });
    const child = registry({ id: 'child', routerChannel: 'up' });
    await link(root, child);
    const handler = vi.fn((req: unknown) => req);
    await child.registerCommand('typed', handler, { schema: { request: z.object({ n: z.number() }) } });
    const error = await root.executeCommand('typed', { n: 'seven' }).catch((e: CommandError) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect((error as Error).message).toMatch(/typed/);
    expect((error as Error).message).toMatch(/expected number/);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('rule 12: bounded work per channel', () => {
  it('runs handlers concurrently up to the cap, then stops reading the channel until one finishes', async () => {
    const r = registry({ id: 'r', maxInFlightPerChannel: 3 });
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    await r.registerCommand('work', async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      return 'done';
    });
    const peer = await createRawPeer('p');
    const pause = vi.spyOn(peer.channel, 'pause');
    await r.registerChannel(peer.channel);
    for (let i = 0; i < 10; i++) peer.send({ id: `w${i}`, type: 'execute.command.request', commandId: 'work' });
    await until(() => running === 3, 'three handlers running');
    expect(pause).toHaveBeenCalled();
    expect(r.listChannels()[0]?.inFlight).toBe(3);
    // Release handlers one by one; the cap must never be exceeded and every request is served.
    let answered = 0;
    while (answered < 10) {
      await until(() => gates.length > 0, 'a running handler');
      gates.shift()!();
      answered++;
      await peer.next('execute.command.response', (m) => m.thid.startsWith('w'));
    }
    expect(peak).toBe(3);
  });
});

describe('extensions', () => {
  it('stamps the caller from an authenticated channel: a claim outside the identity becomes the identity', async () => {
    const hub = registry({ id: 'hub' });
    const callers: string[] = [];
    await hub.registerCommand('whoami', (_req, ctx) => {
      callers.push(ctx.caller);
      return ctx.caller;
    });
    const peer = await createRawPeer('node-a-link', { identities: { a: 'node-a' } });
    await hub.registerChannel(peer.channel);
    const ask = (id: string, caller?: string) =>
      peer.send({ id, type: 'execute.command.request', commandId: 'whoami', ...(caller ? { meta: { caller } } : {}) });
    ask('c1', 'node-a/actor-42');
    ask('c2', 'node-b/actor-1');
    ask('c3', 'node-a');
    ask('c4');
    ask('c5', 'node-ab');
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await peer.next('execute.command.response', (m) => m.thid === id);
    expect(callers).toEqual(['node-a/actor-42', 'node-a', 'node-a', 'node-a', 'node-a']);
  });

  it('an in-process caller is the registry id unless the call names one', async () => {
    const r = registry({ id: 'local-node' });
    await r.registerCommand('whoami', (_req, ctx) => ctx.caller);
    expect(await r.executeCommand('whoami')).toBe('local-node');
    expect(await r.executeCommand('whoami', undefined, { caller: 'local-node/plugin-7' })).toBe('local-node/plugin-7');
  });

  it('the caller, deadline and traceId travel across hops', async () => {
    const root = registry({ id: 'root' });
    const child = registry({ id: 'child', routerChannel: 'up' });
    await link(root, child);
    let seen: { caller: string; traceId: string | undefined; deadline: number | undefined } | undefined;
    await child.registerCommand('inspect', (_req, ctx) => {
      seen = { caller: ctx.caller, traceId: ctx.traceId, deadline: ctx.deadline };
    });
    const before = Date.now();
    await root.executeCommand('inspect', undefined, { caller: 'root/job-1', traceId: 'trace-xyz', timeoutMs: 5000 });
    expect(seen?.caller).toBe('root/job-1');
    expect(seen?.traceId).toBe('trace-xyz');
    expect(seen?.deadline).toBeGreaterThanOrEqual(before + 5000);
  });

  it('work that arrives past its deadline is answered timeout without running', async () => {
    const r = registry({ id: 'r' });
    const handler = vi.fn(() => 'ran');
    await r.registerCommand('late', handler);
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'd1', type: 'execute.command.request', commandId: 'late', meta: { deadline: Date.now() - 1 } });
    const answer = await peer.next('execute.command.response', (m) => m.thid === 'd1');
    expect(errorOf(answer)?.code).toBe('timeout');
    expect(handler).not.toHaveBeenCalled();
  });

  it("the handler's signal fires when the caller's deadline passes", async () => {
    const r = registry({ id: 'r' });
    const aborted = new Promise<unknown>((resolve) => {
      void r.registerCommand('long', (_req, ctx) => new Promise((done) => ctx.signal.addEventListener('abort', () => { resolve(ctx.signal.reason); done(null); })));
    });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'd2', type: 'execute.command.request', commandId: 'long', meta: { deadline: Date.now() + 100 } });
    expect(await aborted).toMatchObject({ code: 'timeout' });
  });

  it('a peer that has not shown it speaks the extensions never receives meta', async () => {
    const child = registry({ id: 'child', routerChannel: 'strict' });
    const strict = await createRawPeer('strict', { extensions: false, strict: true });
    await child.registerChannel(strict.channel);
    void child.executeCommand('x', { a: 1 }, { caller: 'child/p', traceId: 't' }).catch(() => {});
    const request = await strict.next('execute.command.request');
    expect('meta' in request).toBe(false);
    expect(strict.violations).toEqual([]);
  });
});

describe('malformed input', () => {
  it('a malformed execute.command.request with an id is answered invalid_request; other garbage is dropped', async () => {
    const r = registry({ id: 'r' });
    await r.registerCommand('ping', () => 'pong');
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'bad-1', type: 'execute.command.request', commandId: 42 });
    peer.send('not even an object');
    peer.send({ type: 'event' });
    peer.send({ id: 'x', type: 'no.such.type' });
    const answer = await peer.next('execute.command.response', (m) => m.thid === 'bad-1');
    expect(errorOf(answer)).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('commandId') });
    peer.send({ id: 'good', type: 'execute.command.request', commandId: 'ping' });
    expect((await peer.next('execute.command.response', (m) => m.thid === 'good')).response).toEqual({ ok: true, result: 'pong' });
  });

  it('a malformed response to a pending call fails that call at once with internal_error', async () => {
    const r = registry({ id: 'r' });
    const peer = await createRawPeer('p');
    await r.registerChannel(peer.channel);
    peer.send({ id: 'l', type: 'list.commands.response', thid: 'x', commands: [{ id: 'svc' }] });
    await r.waitForCommand('svc', { timeoutMs: 1000 });
    const call = r.executeCommand('svc');
    const request = await peer.next('execute.command.request');
    peer.send({ id: 'bad', type: 'execute.command.response', thid: request.id, response: { ok: false, error: { code: 'teapot', message: 'x' } } });
    await expect(call).rejects.toMatchObject({ code: 'internal_error', message: expect.stringContaining('malformed response') });
  });
});
