/**
 * Worker-thread peer. `raw`: echoes `{id, request}` as `{id, result}` over parentPort (the floor).
 * `ours`: a child registry linked to the parent thread, serving the echo command.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CommandRegistry, ParentPortChannel } from 'cmd-ipc';
import { ECHO_COMMAND } from '../harness/payload.js';
import type { RawRequest } from '../raw/pending-calls.js';

const { mode } = workerData as { mode: 'raw' | 'ours' };
const port = parentPort!;

if (mode === 'raw') {
  port.on('message', (message: RawRequest) => port.postMessage({ id: message.id, result: message.request }));
} else {
  const registry = new CommandRegistry({ id: 'bench-worker', routerChannel: 'parent' });
  // Registered before the channel (see process-echo.ts): the parent then never sees it before it is callable.
  await registry.registerCommand(ECHO_COMMAND, (request: unknown) => request);
  await registry.registerChannel(new ParentPortChannel());
}
