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
  await registry.registerChannel(new ParentProcessChannel());
  await registry.registerCommand(ECHO_COMMAND, (request: unknown) => request);
}
