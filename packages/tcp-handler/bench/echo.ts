/**
 * Echo throughput through `tcp.*` commands beside a raw `net` echo, measured in the same run.
 *
 *   npx tsx --conditions=development bench/echo.ts          (from packages/tcp-handler)
 *
 * Three echo servers on 127.0.0.1, each driven by the same raw TCP client:
 *   raw    `net` server piping each socket to itself
 *   local  a TcpHandler and its owner on one registry (active mode, on-data → tcp.send)
 *   ws     the owner on another registry, joined to the TcpHandler's registry through a real
 *          WebSocket hub (every chunk: on-data and tcp.send cross two WebSocket hops each way)
 * Bulk: one client streams BENCH_MB MiB in 64 KiB writes and reads the echo back (MiB/s).
 * Ping-pong: one client sends 1 KiB and waits for it, BENCH_PINGS times (round trips/s).
 * Every run is bounded in count and in time (BENCH_MAX_SECONDS per run).
 */
import net from 'node:net';
import { CommandRegistry, WebSocketClient, WebSocketHub } from 'cmd-ipc';
import { registerTcpCallbacks, TcpHandler, tcpClient } from '../src/index.js';

const MIB = 1024 * 1024;
const TOTAL_MB = Number(process.env.BENCH_MB ?? 16);
const PINGS = Number(process.env.BENCH_PINGS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 30);

interface EchoServer {
  name: string;
  port: number;
  stop(): Promise<void>;
}

async function rawEcho(): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name: 'raw net',
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An echo owner on `ownerRegistry`, using the tcp.* commands wherever they are. */
async function startOwner(ownerRegistry: CommandRegistry, prefix: string): Promise<number> {
  const tcp = tcpClient(ownerRegistry);
  await registerTcpCallbacks(ownerRegistry, prefix, {
    handleConnection: async ({ connectionId }) => {
      await tcp.activate({ connectionId, mode: 'active' });
    },
    onData: async (connectionId, data) => {
      await tcp.sendBytes(connectionId, data);
    },
  });
  const { port } = await tcp.listen({ host: '127.0.0.1', port: 0, prefix });
  return port;
}

async function localEcho(): Promise<EchoServer> {
  const registry = new CommandRegistry({ id: 'bench-tcp' });
  const handler = await new TcpHandler(registry).register();
  const port = await startOwner(registry, 'bench.echo');
  return {
    name: 'tcp.* (same registry)',
    port,
    stop: async () => {
      await handler.dispose();
      await registry.dispose();
    },
  };
}

async function wsEcho(): Promise<EchoServer> {
  const secret = 'bench-secret';
  const hub = new CommandRegistry({ id: 'hub' });
  const wsHub = new WebSocketHub({ auth: { secret }, host: '127.0.0.1', port: 0 });
  wsHub.attach(hub);
  const url = `ws://127.0.0.1:${(await wsHub.listen()).port}`;
  const tcpNode = new CommandRegistry({ id: 'tcp-node', routerChannel: 'hub' });
  const handler = await new TcpHandler(tcpNode).register();
  const tcpLink = new WebSocketClient({ url, id: 'hub', auth: { identity: 'tcp-node', secret }, reconnect: false });
  await tcpLink.attach(tcpNode);
  const owner = new CommandRegistry({ id: 'owner', routerChannel: 'hub' });
  const ownerLink = new WebSocketClient({ url, id: 'hub', auth: { identity: 'owner', secret }, reconnect: false });
  await ownerLink.attach(owner);
  const port = await startOwner(owner, 'owner.echo');
  return {
    name: 'tcp.* (owner behind a WebSocket hub)',
    port,
    stop: async () => {
      await handler.dispose();
      await ownerLink.close();
      await tcpLink.close();
      await owner.dispose();
      await tcpNode.dispose();
      await wsHub.close();
      await hub.dispose();
    },
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
    socket.setNoDelay(true);
  });
}

/** Streams `bytes` and reads the echo back; MiB/s over the bytes echoed before the time bound. */
async function bulk(port: number, bytes: number): Promise<{ mibPerSecond: number; complete: boolean }> {
  const socket = await connect(port);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const started = process.hrtime.bigint();
  let received = 0;
  const done = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), MAX_SECONDS * 1000);
    socket.on('data', (data: Buffer) => {
      received += data.length;
      if (received >= bytes) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  let sent = 0;
  let stop = false;
  void done.then(() => (stop = true));
  while (sent < bytes && !stop) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    sent += chunk.length;
  }
  const complete = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  return { mibPerSecond: received / MIB / seconds, complete };
}

/** One KiB out, one KiB back, `count` times (bounded by time); round trips per second. */
async function pingPong(port: number, count: number): Promise<number> {
  const socket = await connect(port);
  const message = Buffer.alloc(1024, 0x62);
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const started = process.hrtime.bigint();
  let trips = 0;
  let pending = 0;
  let wake: (() => void) | undefined;
  socket.on('data', (data: Buffer) => {
    pending -= data.length;
    if (pending <= 0) wake?.();
  });
  for (; trips < count && Date.now() < deadline; trips += 1) {
    pending = message.length;
    const back = new Promise<void>((resolve) => (wake = resolve));
    socket.write(message);
    await back;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  return trips / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  console.log(`echo benchmark: ${TOTAL_MB} MiB bulk, ${PINGS} x 1 KiB ping-pong, median of ${RUNS} runs (Node ${process.version})`);
  const rows: string[][] = [['server', 'bulk MiB/s', 'ping-pong round trips/s']];
  for (const make of [rawEcho, localEcho, wsEcho]) {
    const server = await make();
    const bulkRuns: number[] = [];
    const pingRuns: number[] = [];
    let incomplete = false;
    for (let run = 0; run < RUNS; run += 1) {
      const result = await bulk(server.port, TOTAL_MB * MIB);
      incomplete ||= !result.complete;
      bulkRuns.push(result.mibPerSecond);
      pingRuns.push(await pingPong(server.port, PINGS));
    }
    await server.stop();
    rows.push([server.name, `${median(bulkRuns).toFixed(1)}${incomplete ? ' (time-bounded)' : ''}`, median(pingRuns).toFixed(0)]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

await main();
