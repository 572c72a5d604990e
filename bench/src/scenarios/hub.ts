import { compareModes } from '../harness/compare.js';
import { measurePaths } from '../harness/measure.js';
import { ECHO_COMMAND, ECHO_REQUEST } from '../harness/payload.js';
import { type Endpoint, type ScenarioContext, type ScenarioOutcome, closeAll } from '../harness/scenario.js';
import { forkPeer, stopChild, waitForReady } from '../process/children.js';
import { connectWebSocketRegistry, oursWebSocket } from '../transports/websocket.js';

/** client → hub → owner: the hub and the owner each in their own process, the client here. */
async function twoHops(): Promise<Endpoint> {
  const hub = forkPeer('peers/hub-relay', {});
  try {
    const { port } = await waitForReady(hub, 'the hub');
    const owner = forkPeer('peers/hub-owner', { port });
    try {
      await waitForReady(owner, 'the owner to register through the hub');
      const { registry, client } = await connectWebSocketRegistry(port!, 'bench');
      return {
        label: 'via hub (2 hops)',
        call: () => registry.executeCommand(ECHO_COMMAND, ECHO_REQUEST),
        close: async () => {
          await registry.dispose();
          await client.close();
          await Promise.all([stopChild(owner), stopChild(hub)]);
        },
      };
    } catch (error) {
      await stopChild(owner);
      throw error;
    }
  } catch (error) {
    await stopChild(hub);
    throw error;
  }
}

/** Through the hub: executeCommand client → hub → owner (two WebSocket hops) vs client → owner directly (one). */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const endpoints: Endpoint[] = [];
  try {
    context.progress('starting the owner for the direct path');
    const direct = await oursWebSocket();
    endpoints.push(direct);
    context.progress('starting the hub and the owner for the two-hop path');
    const viaHub = await twoHops();
    endpoints.push(viaHub);
    const directLabel = 'direct (1 hop)';
    const [directStats, hubStats] = await measurePaths(
      [
        { label: directLabel, call: direct.call },
        { label: viaHub.label, call: viaHub.call },
      ],
      context.budget,
      context.progress,
    );
    return {
      status: 'ok',
      comparisons: compareModes('hub (WebSocket)', { floor: directLabel, ours: viaHub.label }, directStats!, hubStats!, context.budget, {
        minRatio: 0.5,
        label: '≥ 0.5× direct',
        modes: 'both',
      }),
      note: 'Both paths are executeCommand over WebSocket from this process. Direct: to a root registry behind a WebSocketHub that owns the command. Via hub: to a root registry (the hub, its own process) that routes to an owner connected to it as a child (a third process).',
    };
  } finally {
    await closeAll(endpoints);
  }
}
