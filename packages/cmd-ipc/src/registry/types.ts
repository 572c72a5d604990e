import type { CommandChannel } from '../channels/channel.js';
import type { CommandDef, JsonSchema } from '../protocol/messages.js';
import type { ZodType } from 'zod';

/** Where log lines go; defaults to a silent logger. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** What a handler knows about the call it is serving. */
export interface CommandContext {
  /** The command being executed. */
  commandId: string;
  /** Who asked (PROTOCOL.md `meta.caller`), stamped by the receiving registry; always set. */
  caller: string;
  /** Fires when the caller's deadline passes or the registry is disposed. */
  signal: AbortSignal;
  /** Epoch ms after which the caller no longer wants the answer, when known. */
  deadline?: number;
  /** Trace id carried across hops, when the caller sent one. */
  traceId?: string;
  /** The channel the request arrived on; absent for an in-process call. */
  channelId?: string;
}

/** A command implementation. */
export type CommandHandler<Req = unknown, Res = unknown> = (request: Req, context: CommandContext) => Res | Promise<Res>;

/** What a listener learns about an event besides its payload. */
export interface EventContext {
  eventId: string;
  /** The channel the event arrived on; absent for a local emit. */
  channelId?: string;
}

/** An event listener. A listener that throws is logged and does not stop the others. */
export type EventListener<P = unknown> = (payload: P, context: EventContext) => void;

/** Options for `registerCommand`. */
export interface RegisterCommandOptions {
  description?: string;
  /** zod schemas; the request schema is checked at run time before the handler runs. */
  schema?: { request?: ZodType; response?: ZodType };
}

/** Options for `executeCommand`. */
export interface ExecuteOptions {
  /** Per-call TTL in ms; overrides the registry's `requestTTL`. */
  timeoutMs?: number;
  /** Aborting rejects the call at once and frees its pending entry. */
  signal?: AbortSignal;
  /** For in-process callers acting on someone's behalf. Defaults to the registry id. */
  caller?: string;
  /** Carried unchanged across hops. */
  traceId?: string;
}

/** A command as `listCommands()` reports it. */
export interface CommandInfo extends CommandDef {
  /** `local` for a handler in this registry, otherwise the id of the owning channel. */
  owner: 'local' | string;
}

/** A channel as `listChannels()` reports it. */
export interface ChannelInfo {
  id: string;
  identity?: string;
  isRouter: boolean;
  extensions: boolean;
  /** Remote commands this channel owns. */
  commands: string[];
  inFlight: number;
}

/** Emitted locally (and as event `cmd-ipc.channel.closed` to the mesh) when a channel closes. */
export interface ChannelClosedInfo {
  registryId: string;
  channelId: string;
  identity?: string;
  reason?: string;
}

export type { CommandChannel, CommandDef, JsonSchema };

/**
 * A registry as a library sees it: commands and events by string id, no schema typing. `CommandRegistry`
 * satisfies it whatever its schemas; packages that provide or call commands (the TCP handler, the actor
 * runtime, the transports) depend on this shape rather than on the class.
 */
export interface RegistryPort {
  readonly id: string;
  registerChannel(channel: CommandChannel): Promise<void>;
  registerCommand(id: string, handler: (request: unknown, context: CommandContext) => unknown, options?: RegisterCommandOptions): Promise<void>;
  unregisterCommand(id: string): boolean;
  executeCommand(id: string, request?: unknown, options?: ExecuteOptions): Promise<unknown>;
  emitEvent(id: string, payload?: unknown): void;
  addEventListener(id: string, listener: (payload: unknown, context: EventContext) => void): () => void;
  onChannelClosed(listener: (info: ChannelClosedInfo) => void): () => void;
  listCommands(): CommandInfo[];
  listChannels(): ChannelInfo[];
}
