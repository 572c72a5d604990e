/**
 * The owner of the two-hop path: a child registry connected to the hub with a WebSocketClient,
 * registering the echo command through it. Ready once the hub has accepted the command.
 */
import { CommandRegistry, WebSocketClient } from 'cmd-ipc';
import { BENCH_SECRET, ECHO_COMMAND } from '../harness/payload.js';
import { exitWhenOrphaned, readPeerConfig, sendReady } from './peer-support.js';

const { port } = readPeerConfig<{ port: number }>();
const registry = new CommandRegistry({ id: 'bench-owner', routerChannel: 'hub' });
const client = new WebSocketClient({ url: `ws://127.0.0.1:${port}`, auth: { identity: 'bench-owner', secret: BENCH_SECRET }, reconnect: false });
await client.attach(registry);
// As a child, registerCommand resolves only once the hub has accepted the command.
await registry.registerCommand(ECHO_COMMAND, (request: unknown) => request);
exitWhenOrphaned(async () => {
  await client.close();
  await registry.dispose();
});
sendReady();
