import { table } from '../../narrate/table.js';
import type { Step } from '../context.js';
import { check, countBy, meshCommands } from '../hub-queries.js';

const OWNER_ORDER = ['hub', 'tcp-node', 'actor-node'];

/** Step: `hub.list-commands`, printed as a table of command → owning node. */
export const commandsTable: Step = {
  title: "The mesh's commands, and which node owns each (hub.list-commands)",
  async run(context, say) {
    const commands = await meshCommands(context.registry);
    const { echo, counter } = context.actors;
    const ownerOf = (id: string): string | undefined => commands.find((command) => command.id === id)?.owner;
    check(ownerOf('tcp.listen') === 'tcp-node', `tcp.listen should be owned by tcp-node, not ${ownerOf('tcp.listen')}`);
    check(ownerOf('theater.spawn') === 'actor-node', `theater.spawn should be owned by actor-node, not ${ownerOf('theater.spawn')}`);
    check(ownerOf(`actor.${echo.actorId}.tcp.on-data`) === 'actor-node', `the echo actor's tcp.on-data callback is not in the mesh`);
    check(ownerOf(`actor.${counter.actorId}.increment`) === 'actor-node', `the counter's increment export is not in the mesh`);
    check(ownerOf('hub.list-commands') === 'hub', 'hub.list-commands should be the hub’s own');

    const rank = (owner: string): number => (OWNER_ORDER.includes(owner) ? OWNER_ORDER.indexOf(owner) : OWNER_ORDER.length);
    const sorted = [...commands].sort((a, b) => rank(a.owner) - rank(b.owner) || a.id.localeCompare(b.id));
    const rows = sorted.map((command) => [command.owner, command.id, truncate(command.description ?? '', 58)]);
    say(table(['OWNER', 'COMMAND', 'DESCRIPTION'], rows));
    const counts = countBy(commands, (command) => command.owner);
    say(`${commands.length} commands: ${[...counts].map(([owner, count]) => `${owner} ${count}`).join(', ')}`);
  },
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
