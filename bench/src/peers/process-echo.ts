/**
 * Child-process peer over the fork IPC pipe (JSON serialization). `raw`: echoes `{id, request}` as
 * `{id, result}` with process.send (the floor). `ours`: a child registry linked to the parent process,
 * serving the echo command.
 */
import { CommandRegistry, ParentProcessChannel } from 'cmd-ipc';
import { ECHO_COMMAND } from '../harness/payload.js';
import type { RawRequest } from '../raw/pending-calls.js';
import { exitWhenOrphaned, readPeerConfig, sendReady } from './peer-support.js';

const { mode } = readPeerConfig<{ mode: 'raw' | 'ours' }>();
exitWhenOrphaned();

if (mode === 'raw') {
  process.on('message', (message: RawRequest) => process.send!({ id: message.id, result: message.request }));
  sendReady();
} else {
  const registry = new CommandRegistry({ id: 'bench-child', routerChannel: 'parent' });
  // Registered before the channel, so the parent learns of it from the list response only once it is
  // callable here. Registered after, the parent may call it before the child has made it visible
  // (the router's ok and the first call arrive in one IPC read; the child answers not_found).
  await registry.registerCommand(ECHO_COMMAND, (request: unknown) => request);
  await registry.registerChannel(new ParentProcessChannel());
}
