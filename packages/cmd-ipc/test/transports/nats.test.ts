import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type NatsConnection, connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRegistry, NatsClient, NatsHub, type TransportError } from '../../src/index.js';
import { type NatsServer, RecordingLogger, forkPeer, killHard, startNatsServer, within, cleanupAfterEach } from './helpers.js';
import { peerTransportSuite } from './peer-suite.js';

const SECRET = 'nats-test-secret';
/** Short heartbeats so a killed peer (which NATS does not report to the hub) is found quickly. */
const HEARTBEAT = { intervalMs: 250, timeoutMs: 1500 };

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server?.stop();
});

const cleanups = cleanupAfterEach();

async function hubWithRoot(options: Partial<ConstructorParameters<typeof NatsHub>[0]> = {}, servers = server.url) {
  const root = new CommandRegistry({ id: 'root' });
  const hub = new NatsHub({ servers, hubName: 'root', auth: { secret: SECRET }, heartbeat: HEARTBEAT, ...options });
  await hub.start();
  hub.attach(root);
  cleanups.push(() => root.dispose(), () => hub.close());
  return { root, hub };
}

async function linkedChild(identity: string, secret = SECRET, servers = server.url, extra: Partial<ConstructorParameters<typeof NatsClient>[0]> = {}) {
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub' });
  const client = new NatsClient({
    servers,
    hubName: 'root',
    auth: { identity, secret },
    reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
    heartbeat: HEARTBEAT,
    ...extra,
  });
  cleanups.push(() => registry.dispose(), () => client.close());
  return { registry, client };
}

describe('NATS channels: a child process linked to the hub through nats-server', () => {
  peerTransportSuite(
    async (root) => {
      const hub = new NatsHub({ servers: server.url, hubName: 'root', auth: { secret: SECRET }, heartbeat: HEARTBEAT });
      await hub.start();
      hub.attach(root);
      const child = forkPeer({ id: 'nats1', up: { kind: 'nats', servers: server.url, hubName: 'root', identity: 'nats1', secret: SECRET } });
      return {
        root,
        peerId: 'nats1',
        kill: () => killHard(child),
        cleanup: async () => {
          await killHard(child);
          await hub.close();
        },
      };
    },
    // NATS does not tell the hub that a client's process died: the heartbeat finds it (≤ 1.75 s here).
    { settleWithinMs: 8000 },
  );
});

describe('NATS hub and client', () => {
  it('refuses a wrong secret; the refused peer never registers a command', async () => {
    const logger = new RecordingLogger();
    const { root } = await hubWithRoot({ logger });
    const { client } = await linkedChild('intruder', 'wrong-secret');
    const error = (await client.start().catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('auth_failed');
    expect(error.message).toMatch(/authentication failed for identity "intruder"/);
    expect(root.listChannels()).toEqual([]);
    await logger.waitFor((line) => /refused .*authentication failed/.test(line.message));
  });

  it('stamps the caller with the authenticated identity and answers a denied command with not_found', async () => {
    const { root } = await hubWithRoot({
      auth: { identities: { carol: { secret: 'sc', permissions: { execute: ['public.'] } }, dave: { secret: 'sd' } } },
    });
    await root.registerCommand('public.whoami', (_request, context) => context.caller);
    await root.registerCommand('private.stuff', () => 'denied to carol');
    const carol = await linkedChild('carol', 'sc');
    await carol.client.attach(carol.registry);
    expect(await carol.registry.executeCommand('public.whoami', undefined, { caller: 'dave' })).toBe('carol');
    await expect(carol.registry.executeCommand('private.stuff')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('closes only the session that sends an oversized or malformed message, with a logged reason', async () => {
    const logger = new RecordingLogger();
    const { root } = await hubWithRoot({ logger, maxMessageBytes: 4096 });
    await root.registerCommand('root.inc', (request) => (request as { a: number }).a + 1);
    const good = await linkedChild('good');
    await good.client.attach(good.registry);

    const raw = await connect({ servers: server.url });
    cleanups.push(() => raw.close());
    const big = await rawSession(raw, 'big');
    raw.publish(big.up, new TextEncoder().encode(JSON.stringify({ padding: 'x'.repeat(10_000) })));
    expect(await big.bye).toMatchObject({ code: 'frame_too_large' });
    await logger.waitFor((line) => /exceeds the maximum of 4096/.test(line.message));

    const bad = await rawSession(raw, 'bad');
    raw.publish(bad.up, new TextEncoder().encode('{"id": not json'));
    expect(await bad.bye).toMatchObject({ code: 'frame_malformed' });
    await logger.waitFor((line) => /not valid JSON/.test(line.message));

    expect(await good.registry.executeCommand('root.inc', { a: 1 })).toBe(2);
    expect(root.listChannels().map((channel) => channel.identity)).toEqual(['good']);
  });

  it('opens a fresh session after the hub restarts: commands come back, calls during the outage fail fast', async () => {
    const first = await hubWithRoot();
    await first.root.registerCommand('root.v', () => 1);
    const child = await linkedChild('child');
    await child.client.attach(child.registry);
    await child.registry.registerCommand('child.ping', () => 'pong');
    expect(await first.root.executeCommand('child.ping')).toBe('pong');

    const disconnected = new Promise((resolve) => child.client.on('disconnected', resolve));
    await first.hub.close();
    await first.root.dispose();
    await within(5000, 'the client noticing the hub’s goodbye', disconnected);
    const started = Date.now();
    await expect(child.registry.executeCommand('root.v')).rejects.toMatchObject({ code: 'channel_disconnected' });
    expect(Date.now() - started).toBeLessThan(2000);

    const second = await hubWithRoot();
    await second.root.registerCommand('root.v', () => 2);
    await second.root.waitForCommand('child.ping', { timeoutMs: 10_000 });
    expect(await second.root.executeCommand('child.ping')).toBe('pong');
    expect(await child.registry.executeCommand('root.v')).toBe(2);
  });

  it('links registries attached to two different NATS servers joined in a cluster', async () => {
    const clusterPort = await freePort();
    const a = await startNatsServer(-1, ['--cluster', `nats://127.0.0.1:${clusterPort}`, '--cluster_name', 'test']);
    const b = await startNatsServer(-1, ['--cluster', 'nats://127.0.0.1:-1', '--cluster_name', 'test', '--routes', `nats://127.0.0.1:${clusterPort}`]);
    cleanups.push(() => a.stop(), () => b.stop());
    // The hub's "machine" uses server A, the child's uses server B; the cluster carries the rest.
    const { root } = await hubWithRoot({}, a.url);
    await root.registerCommand('root.where', () => `hub on ${a.url}`);
    const far = await linkedChild('far', SECRET, b.url, { connectTimeoutMs: 1000 });
    await far.client.attach(far.registry);
    await far.registry.registerCommand('far.where', () => `child on ${b.url}`);
    expect(await root.executeCommand('far.where')).toBe(`child on ${b.url}`);
    expect(await far.registry.executeCommand('root.where')).toBe(`hub on ${a.url}`);
  });
});

/** Opens a session by hand and authenticates, so the test can then misbehave on it. */
async function rawSession(nc: NatsConnection, identity: string): Promise<{ up: string; bye: Promise<unknown> }> {
  const session = randomBytes(16).toString('hex');
  const base = `cmd-ipc.root.s.${session}`;
  const frames: unknown[] = [];
  let wake: (() => void) | undefined;
  let byeSeen: (frame: unknown) => void = () => undefined;
  const bye = new Promise<unknown>((resolve) => (byeSeen = resolve));
  nc.subscribe(`${base}.down`, {
    callback: (_error, message) => {
      const frame = JSON.parse(new TextDecoder().decode(message.data)) as { $?: string };
      if (frame.$ === 'bye') byeSeen(frame);
      frames.push(frame);
      wake?.();
    },
  });
  const next = async (kind: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const index = frames.findIndex((frame) => (frame as { $?: string }).$ === kind);
      if (index >= 0) return frames.splice(index, 1)[0] as Record<string, unknown>;
      await within(5000, `a ${kind} frame`, new Promise<void>((resolve) => (wake = resolve)));
    }
  };
  await nc.request('cmd-ipc.root.hello', new TextEncoder().encode(JSON.stringify({ $: 'hello', v: 1, session })), { timeout: 5000 });
  const challenge = await next('challenge');
  const mac = createHmac('sha256', SECRET).update(String(challenge.nonce) + identity).digest('base64url');
  nc.publish(`${base}.up`, new TextEncoder().encode(JSON.stringify({ $: 'auth', v: 1, identity, nonce: randomBytes(24).toString('base64url'), mac, extensions: true })));
  await next('accept');
  return { up: `${base}.up`, bye: within(5000, 'the hub’s goodbye', bye) };
}

/** A TCP port free right now on 127.0.0.1 (for the cluster route, which must be known up front). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
