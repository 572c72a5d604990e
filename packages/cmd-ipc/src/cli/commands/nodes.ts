import { topology } from '../../hub/management-schemas.js';
import type { CliIo } from '../io.js';
import { CONNECT_OPTIONS, connectSettings, expectPositionals, parse } from '../options.js';
import { formatTable } from '../output/table.js';
import { callHubCommand } from './command-failure.js';
import { withSession } from './with-session.js';

/** `cmd-ipc nodes`: the peers linked to the hub, what each owns, and the ones that left. */
export async function runNodes(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('nodes', args, CONNECT_OPTIONS);
  expectPositionals('nodes', parsed, 0, 0, '(no arguments)');
  const settings = connectSettings(parsed, io);
  const picture = await withSession(settings, (session) =>
    callHubCommand(async () => topology.parse(await session.registry.executeCommand('hub.topology')), 'hub.topology', session.url),
  );
  if (parsed.values.json) {
    io.out(`${JSON.stringify(picture)}\n`);
    return 0;
  }
  const now = Date.now();
  const rows = [
    [picture.hub.id, 'hub', '-', String(picture.hub.commands.length), String(picture.hub.eventsFrom), since(now, picture.hub.startedAt)],
    ...picture.nodes.map((node) => [node.identity, node.role, node.transport, String(node.commands.length), String(node.eventsFrom), since(now, node.connectedAt)]),
    ...picture.departed.map((node) => [node.identity, 'gone', node.transport, `(${node.commands.length})`, '-', `left ${since(now, node.closedAt)} ago`]),
  ];
  io.out(`${formatTable(['NODE', 'ROLE', 'VIA', 'COMMANDS', 'EVENTS', 'UP'], rows)}\n`);
  io.out(`\n${picture.eventsSeen} events seen by hub ${picture.hub.id}\n`);
  return 0;
}

function since(now: number, then: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}
