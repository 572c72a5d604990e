import { type Socket, connect } from 'node:net';
import { tcpClient, registerTcpHandler } from '@cmd-ipc/tcp-handler';
import { CommandRegistry } from 'cmd-ipc';
import { compareModes } from '../harness/compare.js';
import { measurePaths } from '../harness/measure.js';
import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { forkPeer, stopChild, waitForReady } from '../process/children.js';

/** The bytes every echo sends, floor and ours alike. */
const MESSAGE = Buffer.alloc(32, 'x');

/** One raw socket that echoes a message at a time. */
class RawLane {
  private received = 0;
  private done: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received >= MESSAGE.length && this.done) {
        this.received -= MESSAGE.length;
        const done = this.done;
        this.done = undefined;
        done();
      }
    });
  }

  static open(port: number): Promise<RawLane> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.setNoDelay(true);
        resolve(new RawLane(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Writes the message and resolves once as many bytes came back. */
  echo(): Promise<void> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.socket.write(MESSAGE);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * TCP handler: an echo of 32 bytes through `tcp.send` + `tcp.receive` (passive mode) on an in-process
 * registry, against the same echo over a raw `net` socket. One connection per call in flight.
 */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const lanes = context.budget.inFlight;
  const server = forkPeer('peers/byte-echo-server', {});
  const registry = new CommandRegistry({ id: 'bench' });
  const raw: RawLane[] = [];
  const connections: string[] = [];
  const tcp = tcpClient(registry);
  try {
    const { port } = await waitForReady(server, 'the TCP echo server');
    context.progress(`opening ${lanes} raw sockets`);
    for (let i = 0; i < lanes; i++) raw.push(await RawLane.open(port!));
    await registerTcpHandler(registry);
    context.progress(`opening ${lanes} connections with tcp.connect`);
    for (let i = 0; i < lanes; i++) connections.push((await tcp.connect({ host: '127.0.0.1', port: port!, mode: 'passive' })).connectionId);

    const floor = { label: 'net socket echo', call: (lane: number) => raw[lane]!.echo() };
    const ours = {
      label: 'tcp.send + tcp.receive',
      call: async (lane: number) => {
        const connectionId = connections[lane]!;
        await tcp.sendBytes(connectionId, MESSAGE);
        for (let got = 0; got < MESSAGE.length; ) {
          const { data, closed } = await tcp.receiveBytes(connectionId, { maxBytes: MESSAGE.length - got });
          if (closed) throw new Error(`connection ${connectionId} closed by the echo server`);
          got += data.length;
        }
      },
    };
    const [floorStats, oursStats] = await measurePaths([floor, ours], context.budget, context.progress);
    return {
      status: 'ok',
      comparisons: compareModes('TCP handler', { floor: floor.label, ours: ours.label }, floorStats!, oursStats!, context.budget),
      note: `A byte echo server in another process; ${MESSAGE.length}-byte messages; one connection per call in flight. Floor: write on a net socket, wait for the bytes back. Ours: tcp.send then tcp.receive (passive mode) through executeCommand on an in-process registry with the TcpHandler; bytes travel base64 in JSON.`,
    };
  } finally {
    for (const lane of raw) lane.close();
    await Promise.allSettled(connections.map((connectionId) => tcp.close({ connectionId })));
    await registry.dispose();
    await stopChild(server);
  }
}
