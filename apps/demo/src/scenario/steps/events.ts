import { table } from '../../narrate/table.js';
import type { Step } from '../context.js';
import { check, hubEvents } from '../hub-queries.js';

/** Step: the events the hub saw, grouped by the node they came from (hub.events). */
export const eventsFromEveryNode: Step = {
  title: 'Events arriving from every node (hub.events, and live on this demo’s own link)',
  async run(context, say) {
    const events = await hubEvents(context.registry);
    const byNode = new Map<string, Map<string, number>>();
    for (const event of events) {
      const ids = byNode.get(event.from) ?? new Map<string, number>();
      ids.set(event.eventId, (ids.get(event.eventId) ?? 0) + 1);
      byNode.set(event.from, ids);
    }
    for (const node of ['tcp-node', 'actor-node']) check(byNode.has(node), `the hub saw no event from ${node}`);
    check(byNode.get('tcp-node')!.has('tcp.connection.opened'), 'tcp-node did not announce the echo clients’ connections (tcp.connection.opened)');
    check(byNode.get('actor-node')!.has('theater.actor.started'), 'actor-node did not announce its actors (theater.actor.started)');
    const rows = [...byNode].map(([node, ids]) => [node, String([...ids.values()].reduce((a, b) => a + b, 0)), [...ids].map(([id, count]) => `${id} ×${count}`).join(', ')]);
    say(table(['FROM', 'EVENTS', 'WHICH'], rows));
    const live = context.liveEvents.length;
    check(live >= events.filter((event) => event.from !== 'cli-demo').length, `only ${live} events reached this demo live`);
    say(`${events.length} events passed through the hub; ${live} of them reached this demo live (all but its own)`);
  },
};
