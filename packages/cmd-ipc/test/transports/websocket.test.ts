import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CommandRegistry, type LinkChannel, TransportError, WebSocketClient, WebSocketHub } from '../../src/index.js';
import { RecordingLogger, forkPeer, killHard, makeCertificate, settleCodes, within, cleanupAfterEach } from './helpers.js';
import { peerTransportSuite } from './peer-suite.js';
import { RawWsPeer } from './raw-peers.js';

const SECRET = 'ws-test-secret';

const cleanups = cleanupAfterEach();

async function hubWithRoot(options: Partial<ConstructorParameters<typeof WebSocketHub>[0]> = {}, port = 0) {
  const root = new CommandRegistry({ id: 'root' });
  const hub = new WebSocketHub({ auth: { secret: SECRET }, port, ...options });
  const address = await hub.listen();
  hub.attach(root);
  cleanups.push(() => root.dispose(), () => hub.close());
  return { root, hub, url: `ws://127.0.0.1:${address.port}`, port: address.port };
}

function client(url: string, identity: string, secret = SECRET, extra: Partial<ConstructorParameters<typeof WebSocketClient>[0]> = {}): WebSocketClient {
  const c = new WebSocketClient({ url, auth: { identity, secret }, reconnect: { initialDelayMs: 50, maxDelayMs: 300 }, ...extra });
  cleanups.push(() => c.close());
  return c;
}

describe('WebSocket channels: a child process linked to the hub', () => {
  peerTransportSuite(async (root) => {
    const hub = new WebSocketHub({ auth: { secret: SECRET } });
    const { port } = await hub.listen();
    hub.attach(root);
    const child = forkPeer({ id: 'ws1', up: { kind: 'ws', url: `ws://127.0.0.1:${port}`, identity: 'ws1', secret: SECRET } });
    return {
      root,
      peerId: 'ws1',
      kill: () => killHard(child),
      cleanup: async () => {
        await killHard(child);
        await hub.close();
      },
    };
  });
});

describe('WebSocket hub and client', () => {
  it('accepts many peers on one port, each its own channel stamped with its identity', async () => {
    const { root, url } = await hubWithRoot();
    await root.registerCommand('root.whoami', (_request, context) => context.caller);
    const a = new CommandRegistry({ id: 'a', routerChannel: 'hub' });
    const b = new CommandRegistry({ id: 'b', routerChannel: 'hub' });
    cleanups.push(() => a.dispose(), () => b.dispose());
    await client(url, 'node-a').attach(a);
    await client(url, 'node-b').attach(b);
    expect(root.listChannels().map((channel) => channel.identity).sort()).toEqual(['node-a', 'node-b']);
    expect(await a.executeCommand('root.whoami')).toBe('node-a');
    expect(await b.executeCommand('root.whoami')).toBe('node-b');
    await a.registerCommand('a.ping', () => 'pong a');
    expect(await b.executeCommand('a.ping')).toBe('pong a');
  });

  it('refuses a wrong secret with close code 4401 and a clear reason; the peer never sees a command', async () => {
    const logger = new RecordingLogger();
    const { root, url } = await hubWithRoot({ logger });
    await root.registerCommand('root.secret', () => 'should not be reachable');
    const raw = await RawWsPeer.connect(url);
    const challenge = (await raw.next()) as { $: string };
    expect(challenge.$).toBe('challenge');
    raw.socket.send(JSON.stringify({ $: 'auth', v: 1, identity: 'intruder', nonce: 'n'.repeat(32), mac: 'AAAA', extensions: true }));
    const closed = await within(5000, 'the refusal', raw.closed);
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/authentication failed for identity "intruder"/);
    expect(root.listChannels()).toEqual([]);
    await logger.waitFor((line) => line.level === 'warn' && /refused .*authentication failed/.test(line.message));

    // The client class reports the same refusal and does not retry it.
    const wrong = client(url, 'node-x', 'not-the-secret');
    const error = await wrong.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'auth_failed' });
    expect((error as Error).message).toMatch(/authentication failed/);
  });

  it('refuses a protocol message sent before the handshake, without running it', async () => {
    const { root, url } = await hubWithRoot();
    let ran = false;
    await root.registerCommand('root.touch', () => {
      ran = true;
    });
    const raw = await RawWsPeer.connect(url);
    raw.sendText(JSON.stringify({ id: '1f9a0b7e-3a43-4cf1-8a9e-8f2b2c1c5f00', type: 'execute.command.request', commandId: 'root.touch' }));
    const closed = await within(5000, 'the refusal', raw.closed);
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/handshake/);
    expect(ran).toBe(false);
  });

  it('stamps a peer that claims another identity with its own; a sub-path of its own is kept', async () => {
    const { root, url } = await hubWithRoot({ auth: { identities: { alice: { secret: 'sa' }, bob: { secret: 'sb' } } } });
    await root.registerCommand('root.whoami', (_request, context) => context.caller);
    const alice = new CommandRegistry({ id: 'alice', routerChannel: 'hub' });
    cleanups.push(() => alice.dispose());
    await client(url, 'alice', 'sa').attach(alice);
    expect(await alice.executeCommand('root.whoami', undefined, { caller: 'bob' })).toBe('alice');
    expect(await alice.executeCommand('root.whoami', undefined, { caller: 'alice/actor-42' })).toBe('alice/actor-42');
    // Alice's secret does not open Bob's identity.
    await expect(client(url, 'bob', 'sa').start()).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('answers a command outside an identity’s execute allow list with not_found, and refuses a registration outside its register list', async () => {
    const { root, url } = await hubWithRoot({
      auth: { identities: { limited: { secret: 'sl', permissions: { execute: ['public.'], register: ['limited.'] } } } },
    });
    await root.registerCommand('public.time', () => 'noon');
    await root.registerCommand('admin.shutdown', () => 'should never run');
    const limited = new CommandRegistry({ id: 'limited', routerChannel: 'hub' });
    cleanups.push(() => limited.dispose());
    await client(url, 'limited', 'sl').attach(limited);
    expect(await limited.executeCommand('public.time')).toBe('noon');
    await expect(limited.executeCommand('admin.shutdown')).rejects.toMatchObject({ code: 'not_found' });
    await limited.registerCommand('limited.tool', () => 'ok');
    expect(root.hasCommand('limited.tool')).toBe(true);
    await expect(limited.registerCommand('public.fake', () => 'spoof')).rejects.toMatchObject({ code: 'duplicate_command' });
    expect(root.hasCommand('public.fake')).toBe(false);
    // Nothing leaks through listing either: the hub advertises only what the peer may execute.
    const known = limited.listCommands().map((command) => command.id);
    expect(known).toContain('public.time');
    expect(known).not.toContain('admin.shutdown');
  });

  it('exchanges extension support in the handshake: a strict peer gets extensions=false on both sides', async () => {
    const { root, url } = await hubWithRoot();
    const strict = new CommandRegistry({ id: 'strict', routerChannel: 'hub' });
    cleanups.push(() => strict.dispose());
    const channel = await client(url, 'strict', SECRET, { extensions: false }).attach(strict);
    expect(channel.extensions).toBe(false);
    expect(root.listChannels()[0]?.extensions).toBe(false);
  });

  it('closes only the connection that sends an oversized or a malformed frame, with a logged reason', async () => {
    const logger = new RecordingLogger();
    const { root, url } = await hubWithRoot({ logger, maxPayload: 4096 });
    await root.registerCommand('root.add', (request) => (request as { a: number }).a + 1);
    const good = new CommandRegistry({ id: 'good', routerChannel: 'hub' });
    cleanups.push(() => good.dispose());
    await client(url, 'good').attach(good);

    const big = await RawWsPeer.connect(url);
    expect(await big.authenticate('big', SECRET)).toMatchObject({ $: 'accept', identity: 'big' });
    big.sendText(JSON.stringify({ padding: 'x'.repeat(10_000) }));
    expect((await within(5000, 'the oversized sender being cut off', big.closed)).code).toBe(1009);
    await logger.waitFor((line) => /larger than the maximum of 4096 bytes/.test(line.message));

    const bad = await RawWsPeer.connect(url);
    await bad.authenticate('bad', SECRET);
    bad.sendText('{"id": not json');
    const closed = await within(5000, 'the malformed sender being cut off', bad.closed);
    expect(closed.code).toBe(1007);
    expect(closed.reason).toMatch(/not valid JSON/);
    await logger.waitFor((line) => /not valid JSON/.test(line.message));

    expect(await good.executeCommand('root.add', { a: 41 })).toBe(42);
    expect(root.listChannels().map((channel) => channel.identity)).toEqual(['good']);
  });

  it('refuses to send a message larger than the maximum: the call fails at once instead of the peer being cut off', async () => {
    const { root, url } = await hubWithRoot({ maxPayload: 4096 });
    await root.registerCommand('root.len', (request) => String(request).length);
    const small = new CommandRegistry({ id: 'small', routerChannel: 'hub' });
    cleanups.push(() => small.dispose());
    await client(url, 'small', SECRET, { maxPayload: 4096 }).attach(small);
    await expect(small.executeCommand('root.len', 'y'.repeat(10_000))).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await small.executeCommand('root.len', 'y'.repeat(100))).toBe(100);
  });

  it('finds a frozen peer through heartbeats within timeout + interval and fails its calls', async () => {
    const logger = new RecordingLogger();
    const { root, url } = await hubWithRoot({ logger, heartbeat: { intervalMs: 200, timeoutMs: 1000 } });
    const child: ChildProcess = forkPeer({ id: 'frozen', up: { kind: 'ws', url, identity: 'frozen', secret: SECRET } });
    cleanups.push(() => killHard(child));
    await root.waitForCommand('frozen.crash', { timeoutMs: 20_000 });
    const calls = Array.from({ length: 20 }, () => root.executeCommand('frozen.hang'));
    const settled = settleCodes(calls);
    await root.executeCommand('frozen.echo');
    // SIGSTOP freezes the process with its socket open: only the heartbeat can tell it is gone.
    child.kill('SIGSTOP');
    const codes = await within(10_000, 'the frozen peer’s calls failing', settled);
    expect(codes).toEqual(Array.from({ length: 20 }, () => 'channel_disconnected'));
    await logger.waitFor((line) => /no sign of life/.test(line.message));
  });

  it('replaces an identity’s older connection when it connects again; the displaced client gives up', async () => {
    const { root, url } = await hubWithRoot();
    const one = new CommandRegistry({ id: 'twin-1', routerChannel: 'hub' });
    const two = new CommandRegistry({ id: 'twin-2', routerChannel: 'hub' });
    cleanups.push(() => one.dispose(), () => two.dispose());
    const first = client(url, 'twin');
    await first.attach(one);
    const gaveUp = new Promise<TransportError>((resolve) => first.on('failed', resolve));
    const second = client(url, 'twin');
    await second.attach(two);
    expect((await within(5000, 'the first client giving up', gaveUp)).code).toBe('replaced');
    expect(root.listChannels()).toHaveLength(1);
  });

  it('speaks wss with a certificate made at test time; a client that does not trust it cannot connect', async () => {
    const certificate = makeCertificate();
    const { root, port } = await hubWithRoot({ tls: { key: certificate.key, cert: certificate.cert } });
    await root.registerCommand('root.secure', () => 'over TLS');
    const peer = new CommandRegistry({ id: 'tls-peer', routerChannel: 'hub' });
    cleanups.push(() => peer.dispose());
    await client(`wss://127.0.0.1:${port}`, 'tls-peer', SECRET, { tls: { ca: certificate.cert } }).attach(peer);
    expect(await peer.executeCommand('root.secure')).toBe('over TLS');
    const untrusting = client(`wss://127.0.0.1:${port}`, 'untrusting', SECRET, { reconnect: false });
    await expect(untrusting.start()).rejects.toMatchObject({ code: 'connect_failed' });
  });
});

describe('WebSocket reconnect', () => {
  it('reconnects after the hub restarts on the same port: commands come back, calls during the outage fail fast', async () => {
    const first = await hubWithRoot();
    await first.root.registerCommand('root.v', () => 1);
    const child = new CommandRegistry({ id: 'child', routerChannel: 'hub', requestTTL: 30_000 });
    cleanups.push(() => child.dispose());
    const c = client(first.url, 'child', SECRET, { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const channels: LinkChannel[] = [];
    c.on('channel', (channel) => channels.push(channel));
    await c.attach(child);
    await child.registerCommand('child.ping', () => 'pong');
    expect(await first.root.executeCommand('child.ping')).toBe('pong');

    // The hub goes away.
    const disconnected = new Promise((resolve) => c.on('disconnected', resolve));
    await first.hub.close();
    await first.root.dispose();
    await within(5000, 'the client noticing', disconnected);

    // During the outage a call fails at once (the router is not connected) instead of waiting 30 s.
    const started = Date.now();
    await expect(child.executeCommand('root.v')).rejects.toMatchObject({ code: 'channel_disconnected' });
    expect(Date.now() - started).toBeLessThan(2000);

    // The hub comes back on the same port with a fresh root.
    const second = await hubWithRoot({}, first.port);
    await second.root.registerCommand('root.v', () => 2);
    await second.root.waitForCommand('child.ping', { timeoutMs: 10_000 });
    expect(await second.root.executeCommand('child.ping')).toBe('pong');
    await child.waitForCommand('root.v', { timeoutMs: 5000 }).catch(() => undefined);
    expect(await child.executeCommand('root.v')).toBe(2);
    expect(channels.length).toBe(2);
    expect(channels.every((channel) => channel.id === 'hub')).toBe(true);
  });
});
