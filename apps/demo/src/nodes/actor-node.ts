/**
 * The actor node: a child registry linked to the hub, with a theater-bridge runtime on it, running
 * two WebAssembly actors: the TCP echo server (whose every socket operation is a `tcp.*` command
 * executed on the TCP node, through the hub) and the counter (state kept across calls).
 */
import { consoleLogger } from 'cmd-ipc';
import { createTheater } from '@cmd-ipc/theater-bridge';
import { actorManifest } from '../mesh/locate.js';
import { exitWithParent, linkToHub } from './link-to-hub.js';
import { NODE_READY_EVENT, readNodeConfig, type NodeReady } from './node-config.js';

const config = readNodeConfig();
const node = await linkToHub(config);
const theater = await createTheater({
  registry: node.registry,
  logger: consoleLogger(config.identity, 'warn'),
  bridge: { prefix: 'theater' },
  ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
});
exitWithParent(async () => {
  await theater.dispose();
  await node.close();
});

const echo = await theater.runtime.spawn({ manifest: actorManifest('echo'), params: { host: '127.0.0.1', port: 0 } });
const counter = await theater.runtime.spawn({ manifest: actorManifest('counter') });
const echoState = (await node.registry.executeCommand('theater.state', { actorId: echo.actorId })) as { state: { port: number } };
const ready: NodeReady = {
  node: config.identity,
  pid: process.pid,
  commands: node.registry.listCommands().filter((c) => c.owner === 'local' && !c.id.startsWith('_')).length,
  actors: { echo: { actorId: echo.actorId, port: echoState.state.port }, counter: { actorId: counter.actorId } },
};
node.registry.emitEvent(NODE_READY_EVENT, ready);
