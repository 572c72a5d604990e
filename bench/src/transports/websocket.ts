import { CommandRegistry, WebSocketClient } from 'cmd-ipc';
import WebSocket from 'ws';
import { BENCH_SECRET, ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';
import { stopChild } from '../process/children.js';
import { PendingCalls, type RawReply } from '../raw/pending-calls.js';
import { startNetworkPeer } from './network-peer.js';
import { registryEndpoint } from './registry-endpoint.js';

/** Floor: a `ws` client sending JSON text frames to a `ws` server that sends them back. */
export async function rawWebSocket(): Promise<Endpoint> {
  const { child, port } = await startNetworkPeer({ transport: 'ws', mode: 'raw' });
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new PendingCalls();
  socket.on('message', (data) => pending.settle(JSON.parse(data.toString()) as RawReply));
  return {
    label: 'ws echo',
    call: () => pending.call(ECHO_REQUEST, (message) => socket.send(JSON.stringify(message))),
    close: async () => {
      socket.terminate();
      await stopChild(child);
    },
  };
}

/**
 * Connects a registry (a child whose router is the hub) to a WebSocket hub at `port` with a
 * `WebSocketClient`; returns the registry and a function that closes the client.
 */
export async function connectWebSocketRegistry(port: number, identity: string): Promise<{ registry: CommandRegistry; client: WebSocketClient }> {
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub' });
  const client = new WebSocketClient({ url: `ws://127.0.0.1:${port}`, auth: { identity, secret: BENCH_SECRET }, reconnect: false });
  await client.attach(registry);
  return { registry, client };
}

/** Ours: executeCommand from a registry with a WebSocketClient to a registry behind a WebSocketHub. */
export async function oursWebSocket(): Promise<Endpoint> {
  const { child, port } = await startNetworkPeer({ transport: 'ws', mode: 'ours' });
  const { registry, client } = await connectWebSocketRegistry(port!, 'bench');
  return registryEndpoint('executeCommand', registry, async () => {
    await client.close();
    await stopChild(child);
  });
}
