import { silentLogger } from 'cmd-ipc';
import { startHubProcess } from '../../mesh/hub-process.js';
import { startNodeProcess } from '../../mesh/node-process.js';
import { linkToHub } from '../../nodes/link-to-hub.js';
import { CONTROLLER_IDENTITY, type Step } from '../context.js';
import { check } from '../hub-queries.js';

/** Step: the hub is `cmd-ipc serve` in its own process; the demo links to it like any client. */
export const startHub: Step = {
  title: 'Start the hub: `cmd-ipc serve` (root registry, WebSocket + TCP on 127.0.0.1, live page)',
  async run(context, say) {
    const hub = await startHubProcess(context.group, context.secret, context.stepTimeoutMs - 500);
    context.hub = hub;
    say(`hub pid ${hub.process.child.pid}`);
    say(`WebSocket ${hub.urls.ws}   TCP ${hub.urls.tcp}`);
    say(`live view ${hub.urls.liveView}  (open it in a browser to watch the rest)`);
    context.controller = await linkToHub({ identity: CONTROLLER_IDENTITY, url: hub.urls.ws }, context.secret, silentLogger);
    // Only events that came in over the link: the demo's own emits are delivered to its listeners too.
    context.registry.addEventListener('*', (_payload, { eventId, channelId }) => {
      if (channelId !== undefined) context.liveEvents.push(eventId);
    });
    say(`this demo linked to it as "${CONTROLLER_IDENTITY}" over WebSocket`);
  },
};

/** Step: the TCP node, linked over WebSocket. */
export const startTcpNode: Step = {
  title: 'Start the TCP node: tcp-handler on a child registry, linked over WebSocket',
  async run(context, say) {
    const node = await startNodeProcess(context.group, context.registry, 'tcp-node', { identity: 'tcp-node', url: context.hubProcess.urls.ws }, context.secret, context.stepTimeoutMs - 500);
    context.tcpNode = node;
    check(node.ready.commands >= 13, `tcp-node registered only ${node.ready.commands} commands; expected the 13+ tcp.* commands`);
    say(`tcp-node pid ${node.ready.pid}: ${node.ready.commands} tcp.* commands registered with the hub`);
  },
};

/** Step: the actor node, linked over TCP; its echo actor listens through the TCP node. */
export const startActorNode: Step = {
  title: 'Start the actor node: theater-bridge with the echo and counter actors, linked over TCP',
  timeoutFactor: 2,
  async run(context, say) {
    const node = await startNodeProcess(
      context.group,
      context.registry,
      'actor-node',
      { identity: 'actor-node', url: context.hubProcess.urls.tcp, dataDir: context.dataDir },
      context.secret,
      context.stepTimeoutMs * 2 - 500,
    );
    context.actorNode = node;
    const actors = context.actors;
    check(actors.echo.port > 0, 'the echo actor reported no port');
    say(`actor-node pid ${node.ready.pid}: ${node.ready.commands} commands (theater.* and the actors' exports)`);
    say(`echo actor ${actors.echo.actorId}: its tcp.listen ran on tcp-node → listening on 127.0.0.1:${actors.echo.port}`);
    say(`counter actor ${actors.counter.actorId}`);
  },
};
