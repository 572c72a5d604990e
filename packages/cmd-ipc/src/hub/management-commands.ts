import type { CommandRegistry } from '../registry/command-registry.js';
import { CommandNotFoundError } from '../registry/errors.js';
import { isPrivateId } from '../protocol/messages.js';
import type { CommandInfo } from '../registry/types.js';
import type { hubCommands, MeshCommand } from './management-schemas.js';
import type { TopologyTracker } from './topology-tracker.js';

/** A hub registry, typed with the management commands' schemas. */
export type HubRegistry = CommandRegistry<typeof hubCommands>;

/**
 * Registers `hub.list-commands`, `hub.describe`, `hub.topology` and `hub.events` on the hub's registry.
 * Their schemas (and so their validation and advertised JSON Schema) come from the registry's `schemas`.
 */
export async function registerManagementCommands(registry: HubRegistry, tracker: TopologyTracker): Promise<void> {
  const toMesh = (info: CommandInfo): MeshCommand => {
    const local = info.owner === 'local';
    const command: MeshCommand = { id: info.id, owner: local ? 'hub' : (tracker.identityOf(info.owner) ?? info.owner) };
    if (!local) command.channelId = info.owner;
    if (info.description !== undefined) command.description = info.description;
    if (info.schema !== undefined) command.schema = info.schema;
    return command;
  };
  const meshCommands = (): MeshCommand[] =>
    registry
      .listCommands()
      .filter((info) => !isPrivateId(info.id))
      .map(toMesh)
      .sort((a, b) => a.id.localeCompare(b.id));

  await registry.registerCommand('hub.list-commands', () => ({ commands: meshCommands() }));
  await registry.registerCommand('hub.describe', ({ id }) => {
    const found = meshCommands().find((command) => command.id === id);
    if (!found) throw new CommandNotFoundError(`command not found in the mesh: ${id} (hub ${registry.id})`);
    return found;
  });
  await registry.registerCommand('hub.topology', () => tracker.snapshot());
  await registry.registerCommand('hub.events', (request) => tracker.recentEvents(request?.after, request?.limit, request?.prefix));
}
