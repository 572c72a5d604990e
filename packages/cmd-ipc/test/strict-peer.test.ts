import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandRegistry, strictMessageSchemaParse } from './helpers/strict.js';
import { createRawPeer } from './helpers/raw-peer.js';

/**
 * Interop with a strict cmd-ipc v1 peer: every message the registry sends it must validate against the
 * v1 shapes (no extra keys, no meta, no null for an absent value), checked both by the strict parser and
 * by the zod schemas of PROTOCOL.md.
 */
const registries: CommandRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.dispose()));
});

async function strictPeerOf(registry: CommandRegistry, channelId = 'strict') {
  const peer = await createRawPeer(channelId, { extensions: false, strict: true });
  await registry.registerChannel(peer.channel);
  return peer;
}

function expectAllValid(peer: Awaited<ReturnType<typeof createRawPeer>>): void {
  expect(peer.violations).toEqual([]);
  for (const message of peer.received) {
    expect(strictMessageSchemaParse(message)).toBe(true);
    expect(JSON.stringify(message)).not.toContain('null');
  }
}

describe('against a strict v1 peer', () => {
  it('as a root: list, register, execute (ok, void, error, forwarded), events', async () => {
    const root = new CommandRegistry({ id: 'root' });
    registries.push(root);
    await root.registerCommand('math.add', ({ a, b }: { a: number; b: number }) => a + b, {
      description: 'adds',
      schema: { request: z.object({ a: z.number(), b: z.number() }), response: z.number() },
    });
    await root.registerCommand('noop', () => undefined);
    await root.registerCommand('explode', () => {
      throw new Error('boom');
    });
    const peer = await strictPeerOf(root);
    const other = await strictPeerOf(root, 'strict-2');
    await peer.next('list.commands.request');
    peer.send({ id: 'l-1', type: 'list.commands.request' });
    const list = await peer.next('list.commands.response');
    expect(list.commands.map((c) => c.id).sort()).toEqual(['explode', 'math.add', 'noop']);

    peer.send({ id: 'r-1', type: 'register.command.request', command: { id: 'peer.cmd' } });
    expect((await peer.next('register.command.response')).response).toEqual({ ok: true });

    peer.send({ id: 'e-1', type: 'execute.command.request', commandId: 'math.add', request: { a: 2, b: 3 } });
    peer.send({ id: 'e-2', type: 'execute.command.request', commandId: 'noop' });
    peer.send({ id: 'e-3', type: 'execute.command.request', commandId: 'explode' });
    peer.send({ id: 'e-4', type: 'execute.command.request', commandId: 'missing' });
    peer.send({ id: 'e-5', type: 'execute.command.request', commandId: 'math.add', request: { a: 'x' } });
    const answers = await Promise.all(['e-1', 'e-2', 'e-3', 'e-4', 'e-5'].map((thid) => peer.next('execute.command.response', (m) => m.thid === thid)));
    expect(answers.map((a) => (a.response.ok ? a.response : a.response.error.code))).toEqual([
      { ok: true, result: 5 },
      { ok: true },
      'internal_error',
      'not_found',
      'invalid_request',
    ]);

    // The second strict peer calls the first one's command through the root.
    other.send({ id: 'f-1', type: 'execute.command.request', commandId: 'peer.cmd', request: { q: 1 } });
    const forwarded = await peer.next('execute.command.request', (m) => m.id === 'f-1');
    expect(forwarded).toEqual({ id: 'f-1', type: 'execute.command.request', commandId: 'peer.cmd', request: { q: 1 } });
    peer.send({ id: 'f-r', type: 'execute.command.response', thid: 'f-1', response: { ok: true, result: 'answered' } });
    expect((await other.next('execute.command.response', (m) => m.thid === 'f-1')).response).toEqual({ ok: true, result: 'answered' });

    root.emitEvent('tick');
    root.emitEvent('user.updated', { userId: 42 });
    await peer.next('event', (m) => m.eventId === 'user.updated');
    await other.next('event', (m) => m.eventId === 'user.updated');
    expectAllValid(peer);
    expectAllValid(other);
  });

  it('as a child: register and execute escalate to a strict router with no meta', async () => {
    const child = new CommandRegistry({ id: 'child', routerChannel: 'strict' });
    registries.push(child);
    const router = await strictPeerOf(child);
    const registering = child.registerCommand('child.cmd', () => 'c');
    const reg = await router.next('register.command.request');
    expect(reg).toEqual({ id: reg.id, type: 'register.command.request', command: { id: 'child.cmd' } });
    router.send({ id: 'ok', type: 'register.command.response', thid: reg.id, response: { ok: true } });
    await registering;
    const call = child.executeCommand('up.cmd', { x: 1 }, { caller: 'child/job', traceId: 'tr' });
    const request = await router.next('execute.command.request');
    expect(request).toEqual({ id: request.id, type: 'execute.command.request', commandId: 'up.cmd', request: { x: 1 } });
    router.send({ id: 'resp', type: 'execute.command.response', thid: request.id, response: { ok: false, error: { code: 'not_found', message: 'nope' } } });
    await expect(call).rejects.toMatchObject({ code: 'not_found', message: 'nope' });
    expectAllValid(router);
  });
});
