import type { ChannelInfo, CommandInfo } from '../registry/types.js';
import { isPrivateId } from '../protocol/messages.js';
import { VIEWER_IDENTITY } from '../live-view/viewer-identity.js';
import { RECENT_EVENTS_LIMIT, type DepartedNode, type SeenEvent, type Topology, type TopologyNode } from './management-schemas.js';

/** The registry calls the tracker reads from. */
export interface TrackedRegistry {
  readonly id: string;
  listChannels(): ChannelInfo[];
  listCommands(): CommandInfo[];
}

interface Peer {
  channelId: string;
  identity: string;
  transport: string;
  role: TopologyNode['role'];
  connectedAt: number;
  eventsFrom: number;
  lastEventId?: string;
  lastEventAt?: number;
}

/** How many departed peers the hub remembers. */
const DEPARTED_LIMIT = 20;

/** Identities that start with this are short-lived `cmd-ipc` commands, not nodes of the mesh. */
export const CLI_IDENTITY_PREFIX = 'cli-';

/**
 * What the hub knows beyond its registry's tables: when each peer came, over which transport,
 * which events entered through it, and which peers left. It feeds `hub.topology` and `hub.events`.
 */
export class TopologyTracker {
  private readonly peers = new Map<string, Peer>();
  private readonly departed: DepartedNode[] = [];
  private readonly events: SeenEvent[] = [];
  private seq = 0;
  private hubEvents = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly registry: TrackedRegistry,
    private readonly urls: () => Record<string, string>,
  ) {}

  /** Records a peer that just authenticated. */
  peerJoined(channelId: string, identity: string, transport: string): void {
    this.peers.set(channelId, { channelId, identity, transport, role: roleOf(identity), connectedAt: Date.now(), eventsFrom: 0 });
    // A node that came back is no longer "departed".
    for (let i = this.departed.length - 1; i >= 0; i--) {
      if (this.departed[i]!.identity === identity) this.departed.splice(i, 1);
    }
  }

  /**
   * Records a peer that left, with the commands it owned. Must be called before the registry drops
   * the channel's commands (so from the channel's own close listener, which runs first).
   */
  peerLeft(channelId: string, reason: string | undefined, commands: string[]): void {
    const peer = this.peers.get(channelId);
    if (!peer) return;
    this.peers.delete(channelId);
    if (peer.role !== 'node') return;
    // A peer replaced by a newer connection of itself has not really left.
    if ([...this.peers.values()].some((other) => other.identity === peer.identity)) return;
    const entry: DepartedNode = { channelId, identity: peer.identity, transport: peer.transport, closedAt: Date.now(), commands };
    if (reason !== undefined) entry.reason = reason;
    this.departed.push(entry);
    if (this.departed.length > DEPARTED_LIMIT) this.departed.shift();
  }

  /** Records an event the hub saw; `channelId` is where it arrived from, absent for the hub's own. */
  eventSeen(eventId: string, channelId: string | undefined, payload: unknown): void {
    const peer = channelId === undefined ? undefined : this.peers.get(channelId);
    const at = Date.now();
    if (peer) {
      peer.eventsFrom++;
      peer.lastEventId = eventId;
      peer.lastEventAt = at;
    } else if (channelId === undefined) {
      this.hubEvents++;
    }
    this.seq++;
    const seen: SeenEvent = { seq: this.seq, at, eventId, from: peer?.identity ?? channelId ?? this.registry.id };
    if (payload !== undefined) seen.payload = payload;
    this.events.push(seen);
    if (this.events.length > RECENT_EVENTS_LIMIT) this.events.shift();
  }

  /** Events after sequence number `after`, optionally only those whose id starts with `prefix`. */
  recentEvents(after = 0, limit = RECENT_EVENTS_LIMIT, prefix = ''): { events: SeenEvent[]; last: number } {
    const events = this.events.filter((event) => event.seq > after && event.eventId.startsWith(prefix)).slice(-limit);
    return { events, last: this.seq };
  }

  /** The identity a channel authenticated as, when it is a tracked peer. */
  identityOf(channelId: string): string | undefined {
    return this.peers.get(channelId)?.identity;
  }

  /** The whole picture, as `hub.topology` answers it. */
  snapshot(): Topology {
    const channels = new Map(this.registry.listChannels().map((info) => [info.id, info]));
    const nodes: TopologyNode[] = [];
    for (const peer of this.peers.values()) {
      const channel = channels.get(peer.channelId);
      // A peer whose channel is not (or no longer) registered is not part of the mesh.
      if (!channel) continue;
      const node: TopologyNode = {
        channelId: peer.channelId,
        identity: peer.identity,
        transport: peer.transport,
        role: peer.role,
        connectedAt: peer.connectedAt,
        commands: [...channel.commands].sort(),
        eventsFrom: peer.eventsFrom,
      };
      if (peer.lastEventId !== undefined) node.lastEventId = peer.lastEventId;
      if (peer.lastEventAt !== undefined) node.lastEventAt = peer.lastEventAt;
      nodes.push(node);
    }
    nodes.sort((a, b) => a.identity.localeCompare(b.identity));
    const hubCommands = this.registry
      .listCommands()
      .filter((command) => command.owner === 'local' && !isPrivateId(command.id))
      .map((command) => command.id)
      .sort();
    return {
      hub: { id: this.registry.id, startedAt: this.startedAt, commands: hubCommands, eventsFrom: this.hubEvents, urls: this.urls() },
      nodes,
      departed: [...this.departed],
      eventsSeen: this.seq,
    };
  }
}

function roleOf(identity: string): TopologyNode['role'] {
  if (identity === VIEWER_IDENTITY) return 'viewer';
  if (identity.startsWith(CLI_IDENTITY_PREFIX)) return 'cli';
  return 'node';
}
