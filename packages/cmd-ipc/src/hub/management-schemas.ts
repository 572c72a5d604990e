import { z } from 'zod';
import { defineCommands } from '../schema/define.js';

/**
 * The management commands a hub started by `cmd-ipc serve` registers on its root registry.
 * They are ordinary, non-private commands, so any peer (the CLI, the live page, a program) can run
 * them like any other command; they answer questions only the hub can: what the whole mesh offers,
 * who is connected, and which events passed through.
 */

const jsonSchema = z.record(z.string(), z.unknown());

/** A command as the hub sees it, with the node that owns it. */
export const meshCommand = z.object({
  id: z.string(),
  description: z.string().optional(),
  /** `hub` for the hub's own commands, otherwise the owning node's identity (or channel id). */
  owner: z.string(),
  /** The hub channel the owner is reached through; absent for the hub's own commands. */
  channelId: z.string().optional(),
  schema: z.object({ request: jsonSchema.optional(), response: jsonSchema.optional() }).optional(),
});
export type MeshCommand = z.infer<typeof meshCommand>;

/** One peer linked to the hub. */
export const topologyNode = z.object({
  channelId: z.string(),
  identity: z.string(),
  /** `ws`, `tcp`, …: the transport the peer came in on. */
  transport: z.string(),
  /** `node` for a peer in the mesh, `viewer` for a live page, `cli` for a `cmd-ipc` command. */
  role: z.enum(['node', 'viewer', 'cli']),
  connectedAt: z.number(),
  commands: z.array(z.string()),
  /** Events that entered the mesh through this peer. */
  eventsFrom: z.number(),
  lastEventId: z.string().optional(),
  lastEventAt: z.number().optional(),
});
export type TopologyNode = z.infer<typeof topologyNode>;

/** A peer that left and has not come back (under the same identity) since. */
export const departedNode = z.object({
  channelId: z.string(),
  identity: z.string(),
  transport: z.string(),
  closedAt: z.number(),
  reason: z.string().optional(),
  /** The commands it owned when it left. */
  commands: z.array(z.string()),
});
export type DepartedNode = z.infer<typeof departedNode>;

/** The whole picture: the hub, its peers, and the ones that left. */
export const topology = z.object({
  hub: z.object({
    id: z.string(),
    startedAt: z.number(),
    commands: z.array(z.string()),
    eventsFrom: z.number(),
    urls: z.record(z.string(), z.string()),
  }),
  nodes: z.array(topologyNode),
  departed: z.array(departedNode),
  eventsSeen: z.number(),
});
export type Topology = z.infer<typeof topology>;

/** An event the hub saw, with where it came from. */
export const seenEvent = z.object({
  seq: z.number(),
  at: z.number(),
  eventId: z.string(),
  /** The hub's id for its own events, else the identity of the peer it arrived from. */
  from: z.string(),
  payload: z.unknown().optional(),
});
export type SeenEvent = z.infer<typeof seenEvent>;

/** How many recent events a hub remembers for `hub.events`. */
export const RECENT_EVENTS_LIMIT = 200;

/** The hub's management commands and their schemas. */
export const hubCommands = defineCommands({
  'hub.list-commands': {
    description: 'Every command in the mesh, with the node that owns it',
    response: z.object({ commands: z.array(meshCommand) }),
  },
  'hub.describe': {
    description: 'One command in the mesh: owner, description and full JSON Schema',
    request: z.object({ id: z.string().min(1) }),
    response: meshCommand,
  },
  'hub.topology': {
    description: 'The hub, the peers linked to it, the commands each owns, and peers that left',
    response: topology,
  },
  'hub.events': {
    description: `Recent events that passed through the hub (up to ${RECENT_EVENTS_LIMIT}), each with the peer it came from`,
    request: z
      .object({
        after: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(RECENT_EVENTS_LIMIT).optional(),
        prefix: z.string().optional(),
      })
      .optional(),
    response: z.object({ events: z.array(seenEvent), last: z.number() }),
  },
});

/** The ids of the management commands. */
export const HUB_COMMAND_IDS = Object.keys(hubCommands) as (keyof typeof hubCommands)[];
