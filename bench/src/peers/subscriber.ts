/**
 * An event subscriber in its own process, linked to the emitter over fork IPC. `raw`: counts every
 * message the parent sends (the floor). `ours`: a child registry counting `bench.tick` events.
 * Both report progress every PROGRESS_EVERY events so the emitter never runs more than a window ahead.
 */
import { CommandRegistry, ParentProcessChannel } from 'cmd-ipc';
import { exitWhenOrphaned, readPeerConfig, sendReady } from './peer-support.js';
import { PROGRESS_COMMAND, PROGRESS_EVERY, type SubscriberConfig, TICK_EVENT, countCommand } from './subscriber-protocol.js';

const { mode, index } = readPeerConfig<SubscriberConfig>();
exitWhenOrphaned();
let count = 0;

if (mode === 'raw') {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'count') {
      process.send!({ type: 'count', count });
      return;
    }
    count++;
    if (count % PROGRESS_EVERY === 0) process.send!({ type: 'progress', count });
  });
  sendReady();
} else {
  const registry = new CommandRegistry({ id: `bench-subscriber-${index}`, routerChannel: 'parent' });
  // Answered after every event sent before the request: they travel the same pipe, in order.
  // Registered before the channel (see process-echo.ts), so the emitter never calls it too early.
  await registry.registerCommand(countCommand(index), () => ({ count }));
  registry.addEventListener(TICK_EVENT, () => {
    count++;
    if (count % PROGRESS_EVERY === 0) {
      registry.executeCommand(PROGRESS_COMMAND, { index, count }).catch(() => {
        // The emitter going away ends this process through the disconnect handler.
      });
    }
  });
  await registry.registerChannel(new ParentProcessChannel());
}
