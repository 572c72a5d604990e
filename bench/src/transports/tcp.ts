import { type Socket, connect } from 'node:net';
import { CommandRegistry, TcpClient } from 'cmd-ipc';
import { BENCH_SECRET, ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';
import { stopChild } from '../process/children.js';
import { LengthPrefixedReader, encodeLengthPrefixed } from '../raw/length-prefix.js';
import { PendingCalls, type RawReply } from '../raw/pending-calls.js';
import { startNetworkPeer } from './network-peer.js';
import { registryEndpoint } from './registry-endpoint.js';

/** Floor: length-prefixed JSON over a `net` socket to a server that writes each frame back. */
export async function rawTcp(): Promise<Endpoint> {
  const { child, port } = await startNetworkPeer({ transport: 'tcp', mode: 'raw' });
  const socket: Socket = await new Promise((resolve, reject) => {
    const opened = connect(port!, '127.0.0.1', () => resolve(opened));
    opened.once('error', reject);
  });
  socket.setNoDelay(true);
  const pending = new PendingCalls();
  const reader = new LengthPrefixedReader();
  socket.on('data', (chunk: Buffer) => reader.push(chunk, (value) => pending.settle(value as RawReply)));
  return {
    label: 'net echo (length-prefixed JSON)',
    call: () => pending.call(ECHO_REQUEST, (message) => socket.write(encodeLengthPrefixed(message))),
    close: async () => {
      socket.destroy();
      await stopChild(child);
    },
  };
}

/** Ours: executeCommand from a registry with a TcpClient to a registry behind a TcpHub. */
export async function oursTcp(): Promise<Endpoint> {
  const { child, port } = await startNetworkPeer({ transport: 'tcp', mode: 'ours' });
  const registry = new CommandRegistry({ id: 'bench', routerChannel: 'hub' });
  const client = new TcpClient({ host: '127.0.0.1', port: port!, auth: { identity: 'bench', secret: BENCH_SECRET }, reconnect: false });
  await client.attach(registry);
  return registryEndpoint('executeCommand', registry, async () => {
    await client.close();
    await stopChild(child);
  });
}
