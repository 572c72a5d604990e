import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CommandRegistry, WebSocketClient, WebSocketHub } from 'cmd-ipc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpHandler, type ConnectionClosedEvent } from '../src/index.js';
import { closed, rawClient, readBytes } from './fixtures/peers.js';
import { within } from './fixtures/wait.js';

const SECRET = 'test-secret-for-the-hub';
const ownerScript = fileURLToPath(new URL('./fixtures/echo-owner.ts', import.meta.url));

/**
 * The hub (root registry + WebSocket hub) and the TCP node (a registry with the TcpHandler, joined to the
 * hub over a real WebSocket) live in this process; the owner is a forked child joined to the same hub.
 */
describe('an owner in another process, behind a WebSocket hub', () => {
  let hub: CommandRegistry;
  let wsHub: WebSocketHub;
  let tcpNode: CommandRegistry;
  let tcpLink: WebSocketClient;
  let handler: TcpHandler;
  let child: ChildProcess | undefined;
  let url: string;

  beforeEach(async () => {
    hub = new CommandRegistry({ id: 'hub' });
    wsHub = new WebSocketHub({ auth: { secret: SECRET }, host: '127.0.0.1', port: 0 });
    wsHub.attach(hub);
    const { port } = await wsHub.listen();
    url = `ws://127.0.0.1:${port}`;
    tcpNode = new CommandRegistry({ id: 'tcp-node', routerChannel: 'hub' });
    handler = await new TcpHandler(tcpNode).register();
    tcpLink = new WebSocketClient({ url, id: 'hub', auth: { identity: 'tcp-node', secret: SECRET }, reconnect: false });
    await tcpLink.attach(tcpNode);
  });

  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
    await handler.dispose();
    await tcpLink.close();
    await tcpNode.dispose();
    await wsHub.close();
    await hub.dispose();
  });

  /** Forks the echo owner and waits (bounded) until it listens through the tcp-handler. */
  async function startOwner(): Promise<{ port: number; listenerId: string }> {
    const proc = fork(ownerScript, [], {
      execArgv: ['--conditions=development', '--import', 'tsx'],
      env: { ...process.env, HUB_URL: url, HUB_SECRET: SECRET, OWNER_IDENTITY: 'echo-owner' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    return within(
      new Promise<{ port: number; listenerId: string }>((resolve, reject) => {
        proc.once('message', (message) => resolve(message as { port: number; listenerId: string }));
        proc.once('exit', (code) => reject(new Error(`the echo owner exited early with code ${code}`)));
      }),
      20_000,
      'the echo owner to listen',
    );
  }

  it('runs an echo server for the child through tcp.* commands', async () => {
    const { port } = await startOwner();
    const clients = await Promise.all([rawClient(port), rawClient(port)]);
    for (const [index, client] of clients.entries()) {
      const message = Buffer.from(`hello from client ${index} `.repeat(2000));
      client.write(message);
      expect((await readBytes(client, message.length, 10_000)).equals(message)).toBe(true);
    }
    expect(handler.stats().connections).toBe(2);
    for (const client of clients) client.destroy();
  });

  it('closes the child\'s listener and sockets when the child is killed with SIGKILL', async () => {
    const { port, listenerId } = await startOwner();
    const client = await rawClient(port);
    client.write('ping');
    expect((await readBytes(client, 4, 10_000)).toString()).toBe('ping');
    expect(handler.stats()).toMatchObject({ connections: 1, listeners: 1 });

    const ownerGone = new Promise<ConnectionClosedEvent>((resolve) => {
      const off = tcpNode.addEventListener('tcp.connection.closed', (payload) => {
        off();
        resolve(payload as ConnectionClosedEvent);
      });
    });
    child?.kill('SIGKILL');
    await closed(client, 15_000);
    expect(await within(ownerGone, 5_000, 'tcp.connection.closed')).toMatchObject({ owner: 'echo-owner', reason: 'owner_gone' });
    expect(handler.stats()).toMatchObject({ connections: 0, listeners: 0 });
    await expect(rawClient(port, 2_000)).rejects.toThrow(/ECONNREFUSED/);
    expect(listenerId).toMatch(/^lsn-/);
  });
});
