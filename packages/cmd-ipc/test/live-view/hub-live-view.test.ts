/**
 * The hub's live page over real HTTP, and the read-only identity the page uses over a real
 * WebSocket: what it may run, and that it can neither register nor inject events. (The page itself
 * runs in a real Chromium in apps/demo/test/live-view.test.ts.)
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRegistry, WebSocketClient, TransportError } from '../../src/index.js';
import { startHub, type RunningHub } from '../../src/hub/hub-server.js';
import type { Topology } from '../../src/hub/management-schemas.js';

const SECRET = 'hub-test-secret';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET on the hub's HTTP port with a chosen Host header. */
function get(url: string, host?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${url} took more than 5 s`)));
    req.end();
  });
}

/** A registry linked to the hub as `identity`. */
async function link(identity: string, secret: string): Promise<{ registry: CommandRegistry; close(): Promise<void> }> {
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub', requestTTL: 5000 });
  const client = new WebSocketClient({ id: 'hub', url: hub.urls.ws!, auth: { identity, secret }, reconnect: false });
  try {
    await client.attach(registry);
  } catch (error) {
    await registry.dispose();
    throw error;
  }
  return {
    registry,
    close: async () => {
      await client.close();
      await registry.dispose();
    },
  };
}

let hub: RunningHub;
let viewerSecret: string;

beforeAll(async () => {
  hub = await startHub({ secret: SECRET, port: 0, tcpPort: 0 });
  const config = JSON.parse((await get(`${hub.urls.liveView}live-view/config.json`)).body) as { identity: string; secret: string };
  viewerSecret = config.secret;
});

afterAll(async () => {
  await hub?.close();
});

describe('the live page over HTTP', () => {
  it('serves the page, its script and stylesheet with a strict content security policy', async () => {
    const page = await get(hub.urls.liveView!);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="/live-view.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await get(`${hub.urls.liveView}live-view.js`);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain("execute('hub.topology')");
    expect((await get(`${hub.urls.liveView}live-view.css`)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(`${hub.urls.liveView}nope`)).status).toBe(404);
  });

  it('gives the viewer secret only to loopback host names (no DNS rebinding)', async () => {
    const local = await get(`${hub.urls.liveView}live-view/config.json`);
    expect(local.status).toBe(200);
    expect(JSON.parse(local.body)).toMatchObject({ hubId: 'hub', identity: 'live-view', secret: expect.any(String) });
    expect(local.headers['cache-control']).toBe('no-store');
    const rebound = await get(`${hub.urls.liveView}live-view/config.json`, 'attacker.example:80');
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(viewerSecret);
  });
});

describe('the read-only viewer identity', () => {
  it('runs the hub’s management commands and nothing else', async () => {
    const node = await link('worker-1', SECRET);
    const viewer = await link('live-view', viewerSecret);
    try {
      await node.registry.registerCommand('worker.secret-op', () => 'done');
      expect(await node.registry.executeCommand('worker.secret-op')).toBe('done');
      const picture = (await viewer.registry.executeCommand('hub.topology')) as Topology;
      expect(picture.nodes.find((entry) => entry.identity === 'worker-1')).toMatchObject({ role: 'node', commands: ['worker.secret-op'] });
      expect(picture.nodes.find((entry) => entry.identity === 'live-view')).toMatchObject({ role: 'viewer' });
      await expect(viewer.registry.executeCommand('worker.secret-op')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await viewer.close();
      await node.close();
    }
  });

  it('cannot register commands in the mesh', async () => {
    const viewer = await link('live-view', viewerSecret);
    try {
      await expect(viewer.registry.registerCommand('hub.fake', () => 1)).rejects.toMatchObject({ code: 'duplicate_command' });
      await expect(viewer.registry.registerCommand('viewer.anything', () => 1)).rejects.toMatchObject({ code: 'duplicate_command' });
    } finally {
      await viewer.close();
    }
  });

  it('cannot inject events: the hub drops them before its registry sees them', async () => {
    const viewer = await link('live-view', viewerSecret);
    try {
      viewer.registry.emitEvent('viewer.injected', { evil: true });
      // Same channel, so the hub handled the event message before this request.
      const { events } = (await viewer.registry.executeCommand('hub.events', { prefix: 'viewer.' })) as { events: unknown[] };
      expect(events).toEqual([]);
    } finally {
      await viewer.close();
    }
  });

  it('is refused with the shared secret: listed identities use their own', async () => {
    await expect(link('live-view', SECRET)).rejects.toMatchObject({ code: 'auth_failed' } satisfies Partial<TransportError>);
  });
});

describe('hub.topology and hub.events', () => {
  it('attribute events to the node they came from and remember nodes that left', async () => {
    const node = await link('sensor-7', SECRET);
    const listener = await link('listener', SECRET);
    await node.registry.registerCommand('sensor.read', () => 21.5);
    const heard = listener.registry.once('sensor.reading', { timeoutMs: 5000 });
    node.registry.emitEvent('sensor.reading', { celsius: 21.5 });
    await heard;
    const { events, last } = (await listener.registry.executeCommand('hub.events', { prefix: 'sensor.' })) as {
      events: { eventId: string; from: string; payload: unknown; seq: number }[];
      last: number;
    };
    expect(events).toEqual([expect.objectContaining({ eventId: 'sensor.reading', from: 'sensor-7', payload: { celsius: 21.5 } })]);
    const none = (await listener.registry.executeCommand('hub.events', { after: last, prefix: 'sensor.' })) as { events: unknown[] };
    expect(none.events).toEqual([]);

    const closed = listener.registry.once('cmd-ipc.channel.closed', { timeoutMs: 5000 });
    await node.close();
    expect(await closed).toMatchObject({ registryId: 'hub', identity: 'sensor-7' });
    const picture = (await listener.registry.executeCommand('hub.topology')) as Topology;
    expect(picture.nodes.map((entry) => entry.identity)).not.toContain('sensor-7');
    expect(picture.departed.find((entry) => entry.identity === 'sensor-7')).toMatchObject({ transport: 'ws', commands: ['sensor.read'] });
    const after = (await listener.registry.executeCommand('hub.events', { prefix: 'cmd-ipc.' })) as { events: { from: string }[] };
    expect(after.events.at(-1)).toMatchObject({ from: 'hub' });
    await listener.close();
  });
});
