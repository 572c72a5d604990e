import type { CommandRegistry } from 'cmd-ipc';

/**
 * Typed wrappers over the hub's management commands (registered by `cmd-ipc serve`), for the parts
 * of their answers the demo reads.
 */

/** A command in the mesh and its owner. */
export interface MeshCommand {
  id: string;
  owner: string;
  description?: string;
}

/** An event the hub saw, and the peer it came from. */
export interface SeenEvent {
  seq: number;
  eventId: string;
  from: string;
  payload?: unknown;
}

/** A peer of the hub. */
export interface TopologyNode {
  identity: string;
  role: string;
  transport: string;
  commands: string[];
}

/** The hub's picture of the mesh. */
export interface Topology {
  nodes: TopologyNode[];
  departed: { identity: string; reason?: string; commands: string[] }[];
}

/** `hub.list-commands`. */
export async function meshCommands(registry: CommandRegistry): Promise<MeshCommand[]> {
  return ((await registry.executeCommand('hub.list-commands')) as { commands: MeshCommand[] }).commands;
}

/** `hub.events`, every event the hub still remembers. */
export async function hubEvents(registry: CommandRegistry): Promise<SeenEvent[]> {
  return ((await registry.executeCommand('hub.events', {})) as { events: SeenEvent[] }).events;
}

/** `hub.topology`. */
export async function topology(registry: CommandRegistry): Promise<Topology> {
  return (await registry.executeCommand('hub.topology')) as Topology;
}

/** Throws `message` unless `condition` holds: a step that did not do what it said fails, naming why. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Counts the items of `list` per key. */
export function countBy<T>(list: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
