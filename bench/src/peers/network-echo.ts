/**
 * Network peer for the WebSocket, TCP and NATS scenarios (and the hub scenario's direct path).
 * `raw`: a bare echo server on that transport (the floor). `ours`: a root registry behind the
 * transport's hub, serving the echo command (and `bench.rss` for the memory scenario).
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { CommandRegistry, NatsHub, TcpHub, WebSocketHub } from 'cmd-ipc';
import { type NatsConnection, connect } from 'nats';
import { WebSocketServer } from 'ws';
import { BENCH_SECRET, ECHO_COMMAND } from '../harness/payload.js';
import { LengthPrefixedReader, encodeLengthPrefixed } from '../raw/length-prefix.js';
import type { RawRequest } from '../raw/pending-calls.js';
import { type NetworkPeerConfig, RAW_NATS_DOWN, RAW_NATS_UP } from './network-config.js';
import { exitWhenOrphaned, readPeerConfig, registerRssCommand, sendReady } from './peer-support.js';

const config = readPeerConfig<NetworkPeerConfig>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('the raw echo server is not listening on a TCP port');
  return address.port;
}

async function startRaw(): Promise<{ port?: number; stop: () => Promise<void> }> {
  switch (config.transport) {
    case 'ws': {
      const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      server.on('connection', (socket) => {
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString()) as RawRequest;
          socket.send(JSON.stringify({ id: message.id, result: message.request }));
        });
      });
      return { port: portOf(server.address()), stop: () => new Promise((resolve) => server.close(() => resolve())) };
    }
    case 'tcp': {
      const server: Server = createServer((socket: Socket) => {
        socket.setNoDelay(true);
        const reader = new LengthPrefixedReader();
        socket.on('data', (chunk: Buffer) =>
          reader.push(chunk, (value) => {
            const message = value as RawRequest;
            socket.write(encodeLengthPrefixed({ id: message.id, result: message.request }));
          }),
        );
        socket.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      return { port: portOf(server.address()), stop: () => new Promise((resolve) => server.close(() => resolve())) };
    }
    case 'nats': {
      const connection: NatsConnection = await connect({ servers: config.natsUrl! });
      connection.subscribe(RAW_NATS_UP, {
        callback: (error, message) => {
          if (error !== null) return;
          const request = JSON.parse(decoder.decode(message.data)) as RawRequest;
          connection.publish(RAW_NATS_DOWN, encoder.encode(JSON.stringify({ id: request.id, result: request.request })));
        },
      });
      await connection.flush();
      return { stop: () => connection.drain() };
    }
  }
}

async function startOurs(): Promise<{ port?: number; stop: () => Promise<void> }> {
  const registry = new CommandRegistry({ id: `bench-${config.transport}-peer` });
  await registry.registerCommand(ECHO_COMMAND, (request: unknown) => request);
  await registerRssCommand(registry);
  const auth = { secret: BENCH_SECRET };
  switch (config.transport) {
    case 'ws': {
      const hub = new WebSocketHub({ auth });
      const address = await hub.listen();
      hub.attach(registry);
      return { port: address.port, stop: async () => (await hub.close(), await registry.dispose()) };
    }
    case 'tcp': {
      const hub = new TcpHub({ auth });
      const address = await hub.listen();
      hub.attach(registry);
      return { port: address.port, stop: async () => (await hub.close(), await registry.dispose()) };
    }
    case 'nats': {
      const hub = new NatsHub({ auth, servers: config.natsUrl! });
      await hub.start();
      hub.attach(registry);
      return { stop: async () => (await hub.close(), await registry.dispose()) };
    }
  }
}

const started = config.mode === 'raw' ? await startRaw() : await startOurs();
exitWhenOrphaned(started.stop);
sendReady(started.port);
