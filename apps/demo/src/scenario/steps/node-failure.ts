import type { CommandError } from 'cmd-ipc';
import { startNodeProcess } from '../../mesh/node-process.js';
import { connectEchoClient } from '../echo-client.js';
import type { Step } from '../context.js';
import { check, meshCommands, topology } from '../hub-queries.js';

interface ChannelClosed {
  registryId: string;
  channelId: string;
  identity?: string;
  reason?: string;
}

/** Step: the actor node is killed outright; the hub reports it and the mesh forgets its commands. */
export const nodeDies: Step = {
  title: 'A node dies: the actor node is killed (SIGKILL) and the mesh reports it',
  async run(context, say) {
    const node = context.actorNode;
    check(node, 'the actor node is not running');
    const ms = context.stepTimeoutMs;
    const reported = context.registry.once('cmd-ipc.channel.closed', { timeoutMs: ms }) as Promise<ChannelClosed>;
    const before = (await meshCommands(context.registry)).length;
    await context.group.kill(node.process, 'SIGKILL');
    say(`killed actor-node (pid ${node.ready.pid}) with SIGKILL: no goodbye, no cleanup`);
    const closed = await reported;
    check(closed.identity === 'actor-node', `the first channel.closed event was about ${closed.identity ?? closed.channelId}, not actor-node`);
    say(`hub → event cmd-ipc.channel.closed: ${closed.channelId} (${closed.identity})${closed.reason ? `: ${closed.reason}` : ''}`);

    const after = await meshCommands(context.registry);
    const leftovers = after.filter((command) => command.owner === 'actor-node' || command.id.startsWith('theater.') || command.id.startsWith('actor.'));
    check(leftovers.length === 0, `commands of the dead node are still listed: ${leftovers.map((command) => command.id).join(', ')}`);
    say(`hub.list-commands: ${before} → ${after.length} commands; every theater.* and actor.* command is gone`);

    const error = await context.registry.executeCommand('theater.list').then(
      () => undefined,
      (thrown: CommandError) => thrown,
    );
    check(error?.code === 'not_found', `theater.list should now fail with not_found, got ${error ? error.code : 'a result'}`);
    say(`theater.list → ${error.code}: ${error.message}`);

    const client = context.lingeringClient;
    check(client, 'no TCP client was left open on the echo actor');
    await client.closedByServer(ms);
    say('tcp-node closed the dead actor’s sockets: the TCP client left open earlier was disconnected');

    const picture = await topology(context.registry);
    const gone = picture.departed.find((entry) => entry.identity === 'actor-node');
    check(gone, 'hub.topology does not list actor-node as departed');
    say(`hub.topology: actor-node departed, having owned ${gone.commands.length} commands`);
    context.actorNode = undefined;
  },
};

/** Step: the actor node is started again; its commands come back and the echo serves clients again. */
export const meshRecovers: Step = {
  title: 'The mesh recovers: the actor node restarts, its commands come back, the echo serves again',
  timeoutFactor: 2,
  async run(context, say) {
    const ms = context.stepTimeoutMs;
    const node = await startNodeProcess(
      context.group,
      context.registry,
      'actor-node',
      { identity: 'actor-node', url: context.hubProcess.urls.tcp, dataDir: context.dataDir },
      context.secret,
      ms * 2 - 500,
    );
    context.actorNode = node;
    const { echo, counter } = context.actors;
    say(`actor-node is back (pid ${node.ready.pid}) with a new echo actor ${echo.actorId} on port ${echo.port}`);
    const commands = await meshCommands(context.registry);
    const owned = commands.filter((command) => command.owner === 'actor-node');
    check(owned.some((command) => command.id === 'theater.spawn'), 'theater.spawn did not come back');
    check(owned.some((command) => command.id === `actor.${echo.actorId}.tcp.on-data`), 'the new echo actor’s callback is not in the mesh');
    say(`hub.list-commands: ${commands.length} commands, ${owned.length} of them owned by actor-node again`);

    const client = await connectEchoClient(echo.port, ms);
    try {
      client.socket.write('are you back?\n');
      await client.until('are you back?\n', ms);
      say(`a new TCP client sent "are you back?" → got back ${JSON.stringify(client.received())}`);
    } finally {
      client.socket.destroy();
    }
    const count = await context.registry.executeCommand(`actor.${counter.actorId}.get`, {});
    check(count === 0, `the new counter should start from its manifest's state (0), it says ${JSON.stringify(count)}`);
    say('the new counter starts again from its manifest’s state (count 0): state lives in the actor, not in the mesh');
  },
};
