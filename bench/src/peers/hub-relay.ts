/**
 * The hub of the two-hop path: a root registry behind a WebSocketHub, with no commands of its own.
 * It routes every call from one client to the client that owns the command.
 */
import { CommandRegistry, WebSocketHub } from 'cmd-ipc';
import { BENCH_SECRET } from '../harness/payload.js';
import { exitWhenOrphaned, sendReady } from './peer-support.js';

const registry = new CommandRegistry({ id: 'bench-hub' });
const hub = new WebSocketHub({ auth: { secret: BENCH_SECRET } });
const address = await hub.listen();
hub.attach(registry);
exitWhenOrphaned(async () => {
  await hub.close();
  await registry.dispose();
});
sendReady(address.port);
