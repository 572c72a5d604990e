import { workerData } from 'node:worker_threads';
import { CommandRegistry, ParentPortChannel } from 'cmd-ipc';
import { z } from 'zod';

/** A child registry in a worker thread: registers one command and reports the events it sees. */
const { name } = workerData as { name: string };
const registry = new CommandRegistry({ id: name, routerChannel: 'parent' });
await registry.registerChannel(new ParentPortChannel({ id: 'parent' }));
registry.addEventListener('demo.broadcast', (payload) => {
  registry.emitEvent('demo.seen', { node: name, payload });
});
await registry.registerCommand(
  `${name}.describe`,
  ({ question }, ctx) => `${name} (thread) answers "${question}" for ${ctx.caller}`,
  { description: `answers a question from ${name}`, schema: { request: z.object({ question: z.string() }), response: z.string() } },
);
await registry.registerCommand(
  `${name}.ask`,
  ({ peer, question }) => registry.executeCommand(`${peer}.describe`, { question }),
  { description: `${name} asks another node a question`, schema: { request: z.object({ peer: z.string(), question: z.string() }) } },
);
registry.emitEvent('demo.ready', { node: name });
