import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRegistry, NatsHub, TcpHub, WebSocketHub } from '../../src/index.js';
import { type NatsServer, forkPeer, killHard, startNatsServer } from './helpers.js';

const SECRET = 'tree-secret';

/**
 * One tree spanning four transports at once:
 *
 *   root (this process: WebSocket, TCP and NATS hubs)
 *    ├─ ws ──────── wsnode (child process) ── worker thread ── grand (grandchild)
 *    ├─ tcp ─────── tcpnode (child process)
 *    └─ nats ────── natsnode (child process, through a real nats-server)
 */
describe('a tree over WebSocket, worker thread, TCP and NATS at once', () => {
  let nats: NatsServer;
  let root: CommandRegistry;
  let wsHub: WebSocketHub;
  let tcpHub: TcpHub;
  let natsHub: NatsHub;
  const children: ChildProcess[] = [];
  const nodes = ['wsnode', 'grand', 'tcpnode', 'natsnode'];

  beforeAll(async () => {
    nats = await startNatsServer();
    root = new CommandRegistry({ id: 'root' });
    wsHub = new WebSocketHub({ auth: { secret: SECRET } });
    tcpHub = new TcpHub({ auth: { secret: SECRET } });
    natsHub = new NatsHub({ servers: nats.url, hubName: 'tree', auth: { secret: SECRET } });
    const wsAddress = await wsHub.listen();
    const tcpAddress = await tcpHub.listen();
    await natsHub.start();
    for (const hub of [wsHub, tcpHub, natsHub]) hub.attach(root);

    children.push(
      forkPeer({
        id: 'wsnode',
        up: { kind: 'ws', url: `ws://127.0.0.1:${wsAddress.port}`, identity: 'wsnode', secret: SECRET },
        down: { via: 'worker', config: { id: 'grand', up: { kind: 'worker' } } },
      }),
      forkPeer({ id: 'tcpnode', up: { kind: 'tcp', host: '127.0.0.1', port: tcpAddress.port, identity: 'tcpnode', secret: SECRET } }),
      forkPeer({ id: 'natsnode', up: { kind: 'nats', servers: nats.url, hubName: 'tree', identity: 'natsnode', secret: SECRET } }),
    );
    await Promise.all(nodes.map((node) => root.waitForCommand(`${node}.crash`, { timeoutMs: 30_000 })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => killHard(child)));
    await root?.dispose();
    await Promise.all([wsHub?.close(), tcpHub?.close(), natsHub?.close()]);
    await nats?.stop();
  });

  it('routes a command on each node to it from every other node', async () => {
    const results: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    await Promise.all(
      nodes.flatMap((from) =>
        nodes
          .filter((to) => to !== from)
          .map(async (to) => {
            expected[`${from}→${to}`] = { from: to, request: { sentBy: from } };
            results[`${from}→${to}`] = await root.executeCommand(`${from}.exec`, { commandId: `${to}.echo`, request: { sentBy: from } });
          }),
      ),
    );
    expect(Object.keys(results)).toHaveLength(12);
    expect(results).toEqual(expected);
  });

  it('stamps callers at each authenticated edge: the grandchild’s calls reach others as its WebSocket identity', async () => {
    // grand → wsnode (worker port, unauthenticated: claim kept) → root (ws, identity wsnode: stamped).
    expect(await root.executeCommand('grand.exec', { commandId: 'tcpnode.whoami' })).toEqual({ caller: 'wsnode' });
    // A claim beneath the edge's identity survives every hop.
    expect(await root.executeCommand('grand.exec', { commandId: 'natsnode.whoami', caller: 'wsnode/grand' })).toEqual({ caller: 'wsnode/grand' });
    // The TCP node cannot pass itself off as the WebSocket node.
    expect(await root.executeCommand('tcpnode.exec', { commandId: 'grand.whoami', caller: 'wsnode' })).toEqual({ caller: 'tcpnode' });
  });

  it('delivers an event from one leaf to every other node exactly once', async () => {
    await root.executeCommand('grand.emit', { eventId: 'tree.news', payload: { n: 1 } });
    for (const node of ['wsnode', 'tcpnode', 'natsnode']) {
      await expect
        .poll(async () => ((await root.executeCommand(`${node}.events`)) as { eventId: string }[]).filter((event) => event.eventId === 'tree.news').length, {
          timeout: 5000,
        })
        .toBe(1);
    }
  });
});
