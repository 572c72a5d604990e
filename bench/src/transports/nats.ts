import { CommandRegistry, NatsClient } from 'cmd-ipc';
import { connect } from 'nats';
import { BENCH_SECRET, ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';
import { RAW_NATS_DOWN, RAW_NATS_UP } from '../peers/network-config.js';
import { stopChild } from '../process/children.js';
import { PendingCalls, type RawReply } from '../raw/pending-calls.js';
import { startNetworkPeer } from './network-peer.js';
import { registryEndpoint } from './registry-endpoint.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Floor: publish JSON on one subject; the peer publishes it back on another; matched by an integer id. */
export async function rawNats(natsUrl: string): Promise<Endpoint> {
  const { child } = await startNetworkPeer({ transport: 'nats', mode: 'raw', natsUrl });
  const connection = await connect({ servers: natsUrl });
  const pending = new PendingCalls();
  connection.subscribe(RAW_NATS_DOWN, {
    callback: (error, message) => {
      if (error === null) pending.settle(JSON.parse(decoder.decode(message.data)) as RawReply);
    },
  });
  await connection.flush();
  return {
    label: 'NATS pub/sub echo',
    call: () => pending.call(ECHO_REQUEST, (message) => connection.publish(RAW_NATS_UP, encoder.encode(JSON.stringify(message)))),
    close: async () => {
      await connection.drain();
      await stopChild(child);
    },
  };
}

/** Ours: executeCommand from a registry with a NatsClient to a registry behind a NatsHub. */
export async function oursNats(natsUrl: string): Promise<Endpoint> {
  const { child } = await startNetworkPeer({ transport: 'nats', mode: 'ours', natsUrl });
  const registry = new CommandRegistry({ id: 'bench', routerChannel: 'hub' });
  const client = new NatsClient({ servers: natsUrl, auth: { identity: 'bench', secret: BENCH_SECRET }, reconnect: false });
  await client.attach(registry);
  return registryEndpoint('executeCommand', registry, async () => {
    await client.close();
    await stopChild(child);
  });
}
