import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { type Socket, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CommandRegistry, FrameDecoder, type LinkChannel, TcpClient, TcpHub, TransportError, encodeFrame } from '../../src/index.js';
import { RecordingLogger, forkPeer, killHard, makeCertificate, settleCodes, within, cleanupAfterEach } from './helpers.js';
import { peerTransportSuite } from './peer-suite.js';
import { RawTcpPeer } from './raw-peers.js';

const SECRET = 'tcp-test-secret';

const cleanups = cleanupAfterEach();

async function hubWithRoot(options: Partial<ConstructorParameters<typeof TcpHub>[0]> = {}, port = 0) {
  const root = new CommandRegistry({ id: 'root' });
  const hub = new TcpHub({ auth: { secret: SECRET }, port, ...options });
  const address = await hub.listen();
  hub.attach(root);
  cleanups.push(() => root.dispose(), () => hub.close());
  return { root, hub, port: address.port };
}

function client(port: number, identity: string, secret = SECRET, extra: Partial<ConstructorParameters<typeof TcpClient>[0]> = {}): TcpClient {
  const c = new TcpClient({ host: '127.0.0.1', port, auth: { identity, secret }, reconnect: { initialDelayMs: 50, maxDelayMs: 300 }, ...extra });
  cleanups.push(() => c.close());
  return c;
}

/** A child registry linked to the hub through a TcpClient. */
async function linkedChild(port: number, identity: string, secret = SECRET, extra: Partial<ConstructorParameters<typeof TcpClient>[0]> = {}) {
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub' });
  cleanups.push(() => registry.dispose());
  const c = client(port, identity, secret, extra);
  const channel = await c.attach(registry);
  return { registry, client: c, channel };
}

describe('TCP channels: a child process linked to the hub', () => {
  peerTransportSuite(async (root) => {
    const hub = new TcpHub({ auth: { secret: SECRET } });
    const { port } = await hub.listen();
    hub.attach(root);
    const child = forkPeer({ id: 'tcp1', up: { kind: 'tcp', host: '127.0.0.1', port, identity: 'tcp1', secret: SECRET } });
    return {
      root,
      peerId: 'tcp1',
      kill: () => killHard(child),
      cleanup: async () => {
        await killHard(child);
        await hub.close();
      },
    };
  });
});

describe('TCP hub and client', () => {
  it('refuses a wrong secret with a goodbye frame naming the reason; the peer never sees a command', async () => {
    const logger = new RecordingLogger();
    const { root, port } = await hubWithRoot({ logger });
    await root.registerCommand('root.secret', () => 'not for intruders');
    const raw = await RawTcpPeer.connect(port);
    const reply = await raw.authenticate('intruder', 'wrong-secret');
    expect(reply).toMatchObject({ $: 'bye', code: 'auth_failed' });
    expect((reply as { reason: string }).reason).toMatch(/authentication failed for identity "intruder"/);
    await within(5000, 'the hub closing the connection', raw.closed);
    expect(root.listChannels()).toEqual([]);
    await logger.waitFor((line) => /refused .*authentication failed/.test(line.message));
    await expect(client(port, 'node-x', 'not-the-secret').start()).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('never puts the secret on the wire, and refuses a hub that cannot prove it knows the secret', async () => {
    // A hand-written impostor hub: it sends a challenge, records the answer, and fakes the proof.
    const received: Buffer[] = [];
    const answers: Record<string, unknown>[] = [];
    const sockets: Socket[] = [];
    const impostor = createServer((socket) => {
      sockets.push(socket);
      const decoder = new FrameDecoder();
      socket.on('error', () => undefined);
      socket.write(encodeFrame({ $: 'challenge', v: 1, nonce: 'n0nce-n0nce-n0nce-n0nce', extensions: true }));
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        for (const frame of decoder.push(chunk)) {
          answers.push(frame as Record<string, unknown>);
          socket.write(encodeFrame({ $: 'accept', v: 1, identity: 'node-z', proof: 'forged', extensions: true }));
        }
      });
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          impostor.close(() => resolve());
        }),
    );
    const { port } = impostor.address() as { port: number };
    const error = (await client(port, 'node-z', 'super-secret-value').start().catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('auth_failed');
    expect(error.message).toMatch(/did not prove it knows the secret/);
    expect(Buffer.concat(received).toString('utf8')).not.toContain('super-secret-value');
    expect(answers[0]).toMatchObject({
      $: 'auth',
      identity: 'node-z',
      mac: createHmac('sha256', 'super-secret-value').update('n0nce-n0nce-n0nce-n0nce' + 'node-z').digest('base64url'),
    });
  });

  it('refuses a protocol message sent before the handshake, without running it', async () => {
    const { root, port } = await hubWithRoot();
    let ran = false;
    await root.registerCommand('root.touch', () => {
      ran = true;
    });
    const raw = await RawTcpPeer.connect(port);
    await raw.next(); // the challenge
    raw.sendValue({ id: '1f9a0b7e-3a43-4cf1-8a9e-8f2b2c1c5f00', type: 'execute.command.request', commandId: 'root.touch' });
    expect(await raw.next()).toMatchObject({ $: 'bye', code: 'handshake_failed' });
    await within(5000, 'the hub closing the connection', raw.closed);
    expect(ran).toBe(false);
  });

  it('stamps a peer that claims another identity with its own, and enforces its allow lists with not_found', async () => {
    const { root, port } = await hubWithRoot({
      auth: {
        identities: {
          alice: { secret: 'sa' },
          bob: { secret: 'sb', permissions: { execute: ['public.'], register: ['bob.'] } },
        },
      },
    });
    await root.registerCommand('public.whoami', (_request, context) => context.caller);
    await root.registerCommand('admin.reset', () => 'should never run for bob');
    const alice = await linkedChild(port, 'alice', 'sa');
    const bob = await linkedChild(port, 'bob', 'sb');
    expect(await alice.registry.executeCommand('public.whoami', undefined, { caller: 'bob' })).toBe('alice');
    expect(await bob.registry.executeCommand('public.whoami', undefined, { caller: 'alice/actor-1' })).toBe('bob');
    expect(await bob.registry.executeCommand('public.whoami', undefined, { caller: 'bob/actor-1' })).toBe('bob/actor-1');
    await expect(bob.registry.executeCommand('admin.reset')).rejects.toMatchObject({ code: 'not_found' });
    expect(await alice.registry.executeCommand('admin.reset')).toBe('should never run for bob');
  });

  it('closes only the connection that sends an oversized or a malformed frame, with a logged reason', async () => {
    const logger = new RecordingLogger();
    const { root, port } = await hubWithRoot({ logger, maxFrameBytes: 4096 });
    await root.registerCommand('root.inc', (request) => (request as { a: number }).a + 1);
    const good = await linkedChild(port, 'good');

    const big = await RawTcpPeer.connect(port);
    await big.authenticate('big', SECRET);
    // Only the header: a frame that announces 100 MB is refused before any of it is buffered.
    const header = Buffer.alloc(4);
    header.writeUInt32BE(100 * 1024 * 1024);
    big.sendBytes(header);
    const bye = (await big.nextControl()) as { $: string; code: string; reason: string };
    expect(bye).toMatchObject({ $: 'bye', code: 'frame_too_large' });
    expect(bye.reason).toMatch(/exceeds the maximum of 4096/);
    await within(5000, 'the oversized sender being cut off', big.closed);
    await logger.waitFor((line) => /exceeds the maximum of 4096/.test(line.message));

    const bad = await RawTcpPeer.connect(port);
    await bad.authenticate('bad', SECRET);
    const body = Buffer.from('{"id": not json', 'utf8');
    const frame = Buffer.alloc(4 + body.length);
    frame.writeUInt32BE(body.length);
    body.copy(frame, 4);
    bad.sendBytes(frame);
    expect(await bad.nextControl()).toMatchObject({ $: 'bye', code: 'frame_malformed' });
    await within(5000, 'the malformed sender being cut off', bad.closed);
    await logger.waitFor((line) => /not valid JSON/.test(line.message));

    expect(await good.registry.executeCommand('root.inc', { a: 41 })).toBe(42);
    expect(root.listChannels().map((channel) => channel.identity)).toEqual(['good']);
  });

  it('answers a message too large to send with an error instead of cutting the connection', async () => {
    const { root, port } = await hubWithRoot({ maxFrameBytes: 4096 });
    await root.registerCommand('root.blob', (request) => 'z'.repeat((request as { n: number }).n));
    const small = await linkedChild(port, 'small', SECRET, { maxFrameBytes: 4096 });
    // The response would not fit: the hub sends internal_error in its place.
    await expect(small.registry.executeCommand('root.blob', { n: 10_000 })).rejects.toMatchObject({ code: 'internal_error' });
    // The request would not fit: it fails at once on this side.
    await expect(small.registry.executeCommand('root.blob', { n: 1, pad: 'p'.repeat(10_000) })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await small.registry.executeCommand('root.blob', { n: 3 })).toBe('zzz');
  });

  it('finds a frozen peer through heartbeat frames and fails its calls', async () => {
    const logger = new RecordingLogger();
    const { root, port } = await hubWithRoot({ logger, heartbeat: { intervalMs: 200, timeoutMs: 1000 } });
    const child: ChildProcess = forkPeer({ id: 'frozen', up: { kind: 'tcp', host: '127.0.0.1', port, identity: 'frozen', secret: SECRET } });
    cleanups.push(() => killHard(child));
    await root.waitForCommand('frozen.crash', { timeoutMs: 20_000 });
    const calls = Array.from({ length: 20 }, () => root.executeCommand('frozen.hang'));
    const settled = settleCodes(calls);
    await root.executeCommand('frozen.echo');
    // SIGSTOP freezes the process with its socket open: only the heartbeat can tell it is gone.
    child.kill('SIGSTOP');
    expect(await within(10_000, 'the frozen peer’s calls failing', settled)).toEqual(Array.from({ length: 20 }, () => 'channel_disconnected'));
    await logger.waitFor((line) => /no sign of life/.test(line.message));
  });

  it('applies backpressure: at the in-flight cap the hub stops reading the socket, then catches up', async () => {
    const root = new CommandRegistry({ id: 'root', maxInFlightPerChannel: 4 });
    const hub = new TcpHub({ auth: { secret: SECRET }, heartbeat: { intervalMs: 100, timeoutMs: 400 } });
    const { port } = await hub.listen();
    hub.attach(root);
    cleanups.push(() => root.dispose(), () => hub.close());
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    await root.registerCommand('root.slow', async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return 'done';
    });
    const peer = await linkedChild(port, 'busy');
    const calls = Array.from({ length: 50 }, () => peer.registry.executeCommand('root.slow'));
    await within(5000, 'the first 4 handlers starting', waitFor(() => gates.length === 4));
    // Hold the channel paused for three heartbeat timeouts: this asserts that nothing happens in that
    // time (a paused reader cannot read pongs, so it must not judge the peer dead meanwhile).
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(running).toBe(4);
    // Release handlers one by one as they start; the cap holds the rest in the socket meanwhile.
    let released = 0;
    while (released < 50) {
      await within(5000, `handler ${released + 1} starting`, waitFor(() => gates.length > 0));
      gates.shift()!();
      released += 1;
    }
    expect(await within(10_000, 'all 50 calls', Promise.all(calls))).toEqual(Array.from({ length: 50 }, () => 'done'));
    expect(most).toBeLessThanOrEqual(4);
    // The channel survived a pause three times longer than the heartbeat timeout.
    expect(root.listChannels().map((channel) => channel.identity)).toEqual(['busy']);
  });

  it('speaks TLS with a certificate made at test time; a client that does not trust it cannot connect', async () => {
    const certificate = makeCertificate();
    const { root, port } = await hubWithRoot({ tls: { key: certificate.key, cert: certificate.cert } });
    await root.registerCommand('root.secure', () => 'over TLS');
    const peer = await linkedChild(port, 'tls-peer', SECRET, { tls: { ca: certificate.cert } });
    expect(await peer.registry.executeCommand('root.secure')).toBe('over TLS');
    await expect(client(port, 'untrusting', SECRET, { tls: {}, reconnect: false }).start()).rejects.toMatchObject({ code: 'connect_failed' });
  });

  it('reconnects after the hub restarts on the same port: commands come back, calls during the outage fail fast', async () => {
    const first = await hubWithRoot();
    await first.root.registerCommand('root.v', () => 1);
    const child = new CommandRegistry({ id: 'child', routerChannel: 'hub', requestTTL: 30_000 });
    cleanups.push(() => child.dispose());
    const c = client(first.port, 'child');
    const channels: LinkChannel[] = [];
    c.on('channel', (channel) => channels.push(channel));
    await c.attach(child);
    await child.registerCommand('child.ping', () => 'pong');
    expect(await first.root.executeCommand('child.ping')).toBe('pong');

    const disconnected = new Promise<TransportError | undefined>((resolve) => c.on('disconnected', resolve));
    await first.hub.close();
    await first.root.dispose();
    await within(5000, 'the client noticing', disconnected);

    const started = Date.now();
    await expect(child.executeCommand('root.v')).rejects.toMatchObject({ code: 'channel_disconnected' });
    expect(Date.now() - started).toBeLessThan(2000);

    const second = await hubWithRoot({}, first.port);
    await second.root.registerCommand('root.v', () => 2);
    await second.root.waitForCommand('child.ping', { timeoutMs: 10_000 });
    expect(await second.root.executeCommand('child.ping')).toBe('pong');
    expect(await child.executeCommand('root.v')).toBe(2);
    expect(channels.map((channel) => channel.id)).toEqual(['hub', 'hub']);
  });
});

/** Resolves once `condition` holds, checking after each turn of the event loop. */
function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => (condition() ? resolve() : void setImmediate(check));
    check();
  });
}
