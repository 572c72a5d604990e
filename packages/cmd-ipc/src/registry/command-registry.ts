import { randomUUID } from 'node:crypto';
import { z, type ZodType } from 'zod';
import { isAllowed, type CommandChannel } from '../channels/channel.js';
import type {
  CommandDef,
  EventMessage,
  ExecuteCommandRequest,
  ExecuteCommandResponse,
  ListCommandsResponse,
  Message,
  MessageMeta,
  RegisterCommandRequest,
  RegisterCommandResponse,
  WireError,
} from '../protocol/messages.js';
import { isPrivateId } from '../protocol/messages.js';
import { newMessageId } from '../protocol/message-id.js';
import { parseMessage, ProtocolError } from '../protocol/parse-message.js';
import {
  buildCommandDef,
  type CommandId,
  type CommandSchema,
  type CommandSchemaMap,
  type HandlerOf,
  type EventId,
  type EventSchemaMap,
  type PayloadOf,
  type RegistrySchemas,
  type RequestInput,
  type ResultOf,
} from '../schema/define.js';
import { stampCaller } from './caller.js';
import {
  ChannelDisconnectedError,
  CommandError,
  CommandNotFoundError,
  DuplicateCommandError,
  errorFromCode,
  InternalError,
  InvalidRequestError,
  TimeoutError,
  toWireError,
} from './errors.js';
import { EventListeners } from './event-listeners.js';
import { HandlerContext } from './handler-context.js';
import { LocalCall, toCommandError } from './local-call.js';
import { silentLogger } from './logger.js';
import { DeadlineQueue } from './deadline-queue.js';
import { TtlMap } from './ttl-map.js';
import type {
  ChannelClosedInfo,
  ChannelInfo,
  CommandContext,
  CommandInfo,
  EventListener,
  ExecuteOptions,
  Logger,
  RegisterCommandOptions,
  RegistryPort,
} from './types.js';

/** Events under this prefix are the registries' own; one arriving from a peer is accepted only from the router. */
export const SYSTEM_EVENT_PREFIX = 'cmd-ipc.';

/** The event a registry emits to the mesh when one of its channels closes. */
export const CHANNEL_CLOSED_EVENT = 'cmd-ipc.channel.closed';

/** Options for `new CommandRegistry()`. */
export interface CommandRegistryOptions<C extends CommandSchemaMap = CommandSchemaMap, E extends EventSchemaMap = EventSchemaMap> {
  /** This registry's name; the default caller of its own calls. Default: a random id. */
  id?: string;
  /** The id of the channel to escalate through; makes this registry a child. */
  routerChannel?: string;
  /** Default time to wait for an answer, in ms. Default 30000. */
  requestTTL?: number;
  /** How long an event id is remembered for de-duplication, in ms. Default 5000. */
  eventTTL?: number;
  /** Handlers in flight per channel before the registry stops reading it. Default 256. */
  maxInFlightPerChannel?: number;
  /** zod schemas of commands and events: strict types, run-time request validation, JSON Schema. */
  schemas?: RegistrySchemas<C, E>;
  /** Where log lines go. Default: silent. */
  logger?: Logger;
}

/** Raised by `registerChannel` for a channel id already in use. */
export class DuplicateChannelError extends Error {
  readonly code = 'duplicate_channel';

  constructor(registryId: string, channelId: string) {
    super(`registry ${registryId} already has a channel with id ${channelId}`);
    this.name = 'DuplicateChannelError';
  }
}

/** Raised by calls on a registry after `dispose()`. */
export class RegistryDisposedError extends ChannelDisconnectedError {
  constructor(registryId: string, what: string) {
    super(`registry ${registryId} is disposed: cannot ${what}`);
  }
}

interface LocalCommand {
  def: CommandDef;
  handler: (request: unknown, context: CommandContext) => unknown;
  requestSchema: ZodType | undefined;
}

interface RemoteCommand {
  def: CommandDef;
  channelId: string;
}

interface ChannelState {
  channel: CommandChannel;
  isRouter: boolean;
  closed: boolean;
  inFlight: number;
  paused: boolean;
  /** Messages held while at the in-flight cap, for a channel that cannot pause itself. */
  backlog: unknown[];
  /** Remote commands this channel owns. */
  commands: Set<string>;
  /** Contexts of handlers serving this channel's requests, aborted when it closes. */
  contexts: Set<HandlerContext>;
}

type Pending =
  | {
      kind: 'execute';
      commandId: string;
      channelId: string;
      ttl: number;
      resolve: (value: unknown) => void;
      reject: (error: Error) => void;
      cleanup: (() => void) | undefined;
    }
  | {
      kind: 'register';
      commandId: string;
      channelId: string;
      command: LocalCommand;
      resolve: () => void;
      reject: (error: Error) => void;
    }
  | {
      // A registration this child escalated to its router on behalf of a downstream channel.
      kind: 'escalate';
      commandId: string;
      channelId: string;
      def: CommandDef;
      originChannelId: string;
      /** The downstream request to answer, or undefined when the command was learned from a list response. */
      originRequestId: string | undefined;
    };

interface Route {
  originId: string;
  targetId: string;
  commandId: string;
}

type ExecuteArgs<C, K> = undefined extends RequestInput<C, K>
  ? [request?: RequestInput<C, K>, options?: ExecuteOptions]
  : [request: RequestInput<C, K>, options?: ExecuteOptions];

type EmitArgs<E, K> = undefined extends PayloadOf<E, K> ? [payload?: PayloadOf<E, K>] : [payload: PayloadOf<E, K>];

type ListenId<E> = EventId<E> | '*' | typeof CHANNEL_CLOSED_EVENT;

type ListenPayload<E, K> = K extends typeof CHANNEL_CLOSED_EVENT ? ChannelClosedInfo : K extends '*' ? unknown : PayloadOf<E, K>;

/**
 * A cmd-ipc v1 registry: local and remote command tables, request routing with TTLs, escalation to a
 * router, and de-duplicated event fanout across every channel (PROTOCOL.md, rules 1–12).
 */
export class CommandRegistry<C extends CommandSchemaMap = CommandSchemaMap, E extends EventSchemaMap = EventSchemaMap> {
  /** This registry's name. */
  readonly id: string;
  private readonly routerChannelId: string | undefined;
  private readonly requestTTL: number;
  private readonly eventTTL: number;
  private readonly maxInFlight: number;
  private readonly logger: Logger;
  private readonly commandSchemas: CommandSchemaMap;
  private readonly eventSchemas: EventSchemaMap;

  private readonly local = new Map<string, LocalCommand>();
  private readonly remote = new Map<string, RemoteCommand>();
  private readonly channels = new Map<string, ChannelState>();
  /** Local registrations waiting on the router, so a second one with the same id is refused at once. */
  private readonly registering = new Set<string>();
  /** Inbound registrations being escalated, by command id → origin channel. */
  private readonly escalating = new Map<string, string>();
  private readonly pending: TtlMap<string, Pending>;
  private readonly routes: TtlMap<string, Route>;
  private readonly seenEvents: TtlMap<string, true>;
  /** Local calls to async handlers, until they settle. */
  private readonly localCalls = new DeadlineQueue();
  /** Handlers serving requests that carry a deadline, to abort them when it passes. */
  private readonly servingDeadlines = new DeadlineQueue();
  private readonly listeners: EventListeners;
  private readonly closedHooks = new Set<(info: ChannelClosedInfo) => void>();
  private readonly commandWaiters = new Map<string, Set<() => void>>();
  private disposed = false;
  private disposing: Promise<void> | undefined;

  constructor(options: CommandRegistryOptions<C, E> = {}) {
    this.id = options.id ?? `registry-${randomUUID().slice(0, 8)}`;
    this.routerChannelId = options.routerChannel;
    this.requestTTL = options.requestTTL ?? 30_000;
    this.eventTTL = options.eventTTL ?? 5_000;
    this.maxInFlight = options.maxInFlightPerChannel ?? 256;
    this.logger = options.logger ?? silentLogger;
    this.commandSchemas = options.schemas?.commands ?? {};
    this.eventSchemas = options.schemas?.events ?? {};
    this.listeners = new EventListeners(this.logger);
    this.pending = new TtlMap((id, pending) => this.onPendingExpired(id, pending));
    this.routes = new TtlMap((id, route) => this.onRouteExpired(id, route));
    this.seenEvents = new TtlMap(() => {}, 100);
  }

  /**
   * This same registry, addressed by plain string ids: what libraries that register or call their own
   * commands (the TCP handler, the actor runtime) take, whatever schemas this registry was typed with.
   */
  get untyped(): RegistryPort {
    return this as unknown as RegistryPort;
  }

  /** True when this registry escalates through a router channel. */
  get isChild(): boolean {
    return this.routerChannelId !== undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Channels (rules 1, 10)

  /** Starts a channel, links it to this registry and asks the peer for its commands. Resolves once started. */
  async registerChannel(channel: CommandChannel): Promise<void> {
    if (this.disposed) throw new RegistryDisposedError(this.id, `register channel ${channel.id}`);
    if (this.channels.has(channel.id)) throw new DuplicateChannelError(this.id, channel.id);
    const state: ChannelState = {
      channel,
      isRouter: channel.id === this.routerChannelId,
      closed: false,
      inFlight: 0,
      paused: false,
      backlog: [],
      commands: new Set(),
      contexts: new Set(),
    };
    this.channels.set(channel.id, state);
    // Listeners go on before start, so nothing the peer sends during start is missed.
    channel.on('message', (message) => this.receive(state, message));
    channel.on('close', (reason) => this.handleChannelClosed(state, reason));
    try {
      await channel.start();
    } catch (error) {
      this.channels.delete(channel.id);
      state.closed = true;
      throw error;
    }
    if (state.closed) throw new ChannelDisconnectedError(`channel ${channel.id} closed while starting in registry ${this.id}`);
    this.send(state, { id: newMessageId(), type: 'list.commands.request' });
    if (state.isRouter) this.escalateDownstreamCommands();
    this.logger.debug('channel registered', { registry: this.id, channel: channel.id });
  }

  /** Closes one channel; its commands are dropped and its pending calls rejected. */
  async closeChannel(channelId: string): Promise<void> {
    const state = this.channels.get(channelId);
    if (!state) return;
    await state.channel.close().catch((error: unknown) => this.logger.warn('channel close failed', { channel: channelId, error: String(error) }));
    this.handleChannelClosed(state);
  }

  /** Calls `fn` whenever one of this registry's channels closes; returns a function that stops it. */
  onChannelClosed(fn: (info: ChannelClosedInfo) => void): () => void {
    this.closedHooks.add(fn);
    return () => this.closedHooks.delete(fn);
  }

  private handleChannelClosed(state: ChannelState, reason?: Error): void {
    if (state.closed) return;
    state.closed = true;
    const channelId = state.channel.id;
    if (this.channels.get(channelId) === state) this.channels.delete(channelId);
    for (const id of state.commands) {
      if (this.remote.get(id)?.channelId === channelId) this.remote.delete(id);
    }
    state.commands.clear();
    state.backlog.length = 0;
    const why = `channel ${channelId} of registry ${this.id} closed${reason ? `: ${reason.message}` : ''}`;
    for (const context of state.contexts) context.abort(new ChannelDisconnectedError(why));
    state.contexts.clear();

    for (const [id, pending] of this.pending) {
      if (pending.channelId === channelId) {
        this.pending.delete(id);
        this.failPending(pending, new ChannelDisconnectedError(`command ${pending.commandId}: ${why}`));
      } else if (pending.kind === 'escalate' && pending.originChannelId === channelId) {
        this.escalating.delete(pending.commandId);
      }
    }
    for (const [id, route] of this.routes) {
      if (route.targetId === channelId) {
        this.routes.delete(id);
        this.answerError(route.originId, id, { code: 'channel_disconnected', message: `command ${route.commandId}: ${why}` });
      } else if (route.originId === channelId) {
        this.routes.delete(id);
      }
    }
    this.logger.info('channel closed', { registry: this.id, channel: channelId, reason: reason?.message });
    if (this.disposed) return;
    const info: ChannelClosedInfo = { registryId: this.id, channelId };
    if (state.channel.identity !== undefined) info.identity = state.channel.identity;
    if (reason) info.reason = reason.message;
    for (const hook of [...this.closedHooks]) {
      try {
        hook(info);
      } catch (error) {
        this.logger.error('channel-closed hook threw', { error: String(error) });
      }
    }
    this.emitUntyped(CHANNEL_CLOSED_EVENT, info);
  }

  /** Lists this registry's channels. */
  listChannels(): ChannelInfo[] {
    return [...this.channels.values()].map((state) => {
      const info: ChannelInfo = {
        id: state.channel.id,
        isRouter: state.isRouter,
        extensions: state.channel.extensions === true,
        commands: [...state.commands],
        inFlight: state.inFlight,
      };
      if (state.channel.identity !== undefined) info.identity = state.channel.identity;
      return info;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Commands (rules 4, 6)

  /**
   * Registers a local command. On a child linked to its router, the command becomes visible only after
   * the router accepts it; rejects with `duplicate_command`, `timeout` or `channel_disconnected`.
   */
  async registerCommand<K extends CommandId<C>, S extends CommandSchema = CommandSchema>(
    id: K,
    handler: HandlerOf<C, K, S>,
    options: RegisterCommandOptions & { schema?: S } = {},
  ): Promise<void> {
    if (this.disposed) throw new RegistryDisposedError(this.id, `register command ${id}`);
    if (typeof id !== 'string' || id.length === 0) throw new InvalidRequestError(`command id must be a non-empty string, got ${String(id)}`);
    this.assertFreeId(id);
    const declared = this.commandSchemas[id];
    const schema = options.schema ?? declared;
    const def = buildCommandDef(id, options.description ?? declared?.description, schema);
    const command: LocalCommand = {
      def,
      handler: handler as LocalCommand['handler'],
      requestSchema: schema?.request,
    };
    const router = this.routerState();
    if (isPrivateId(id) || !router) {
      this.addLocal(id, command);
      return;
    }
    this.registering.add(id);
    try {
      await new Promise<void>((resolve, reject) => {
        const requestId = newMessageId();
        this.pending.set(requestId, { kind: 'register', commandId: id, channelId: router.channel.id, command, resolve, reject }, this.requestTTL);
        this.send(router, { id: requestId, type: 'register.command.request', command: def });
      });
    } finally {
      this.registering.delete(id);
    }
  }

  /** Removes a local command; returns whether it existed. Its remote copies age out as peers reconnect. */
  unregisterCommand(id: string): boolean {
    return this.local.delete(id);
  }

  /** Lists every command this registry knows: its own (including private ones) and remote ones. */
  listCommands(): CommandInfo[] {
    const out: CommandInfo[] = [];
    for (const command of this.local.values()) out.push({ ...command.def, owner: 'local' });
    for (const command of this.remote.values()) out.push({ ...command.def, owner: command.channelId });
    return out;
  }

  /** True when the command is local or has a known remote owner. */
  hasCommand(id: string): boolean {
    return this.local.has(id) || this.remote.has(id);
  }

  /** Resolves once the command is known here (local or advertised by a peer); rejects with `timeout` after `timeoutMs`. */
  waitForCommand(id: string, options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.hasCommand(id)) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? this.requestTTL;
    return new Promise((resolve, reject) => {
      let waiters = this.commandWaiters.get(id);
      if (!waiters) {
        waiters = new Set();
        this.commandWaiters.set(id, waiters);
      }
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        reject(new TimeoutError(`command ${id} did not appear in registry ${this.id} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(done);
    });
  }

  /**
   * Executes a command wherever it lives: a local handler, a known remote owner, or up through the router.
   * Resolves with its result; rejects with a CommandError whose `code` is the wire code.
   */
  executeCommand<K extends CommandId<C>>(id: K, ...args: ExecuteArgs<C, K>): Promise<ResultOf<C, K>>;
  executeCommand(id: string, request?: unknown, options?: ExecuteOptions): Promise<unknown> {
    return this.execute(id, request, options ?? NO_OPTIONS);
  }

  private execute(id: string, request: unknown, options: ExecuteOptions): Promise<unknown> {
    if (this.disposed) return Promise.reject(new RegistryDisposedError(this.id, `execute ${id}`));
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal, id));
    const caller = options.caller ?? this.id;
    const local = this.local.get(id);
    if (local) return this.callLocal(local, id, request, caller, options);
    const owner = this.remote.get(id);
    if (owner) {
      const state = this.channels.get(owner.channelId);
      if (!state || state.closed) {
        return Promise.reject(new ChannelDisconnectedError(`command ${id}: channel ${owner.channelId} of registry ${this.id} is gone`));
      }
      return this.callRemote(state, id, request, caller, options);
    }
    if (this.routerChannelId !== undefined) {
      const router = this.routerState();
      if (!router) {
        return Promise.reject(
          new ChannelDisconnectedError(`command ${id}: router channel ${this.routerChannelId} of registry ${this.id} is not connected`),
        );
      }
      return this.callRemote(router, id, request, caller, options);
    }
    return Promise.reject(new CommandNotFoundError(`command not found: ${id} (registry ${this.id})`));
  }

  private callLocal(command: LocalCommand, id: string, request: unknown, caller: string, options: ExecuteOptions): Promise<unknown> {
    const call = new LocalCall(id, caller, options.traceId, this.localCalls);
    let result: unknown;
    try {
      result = command.handler(command.requestSchema ? validateRequest(command.requestSchema, id, request) : request, call);
    } catch (error) {
      return Promise.reject(toCommandError(error));
    }
    // A synchronous handler is done: nothing is left in flight to time out or abort.
    if (!isThenable(result)) return Promise.resolve(result);
    return call.track(result, options.timeoutMs ?? this.requestTTL, options.signal, this.id);
  }

  private callRemote(state: ChannelState, id: string, request: unknown, caller: string, options: ExecuteOptions): Promise<unknown> {
    const ttl = options.timeoutMs ?? this.requestTTL;
    return new Promise((resolve, reject) => {
      const requestId = newMessageId();
      const message: ExecuteCommandRequest = { id: requestId, type: 'execute.command.request', commandId: id };
      if (request !== undefined) message.request = request;
      if (state.channel.extensions === true) {
        const meta: MessageMeta = { caller, deadline: Date.now() + ttl };
        if (options.traceId !== undefined) meta.traceId = options.traceId;
        message.meta = meta;
      }
      let cleanup: (() => void) | undefined;
      const signal = options.signal;
      if (signal) {
        const onAbort = (): void => {
          if (this.pending.delete(requestId)) reject(abortReason(signal, id));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(requestId, { kind: 'execute', commandId: id, channelId: state.channel.id, ttl, resolve, reject, cleanup }, ttl);
      this.send(state, message);
    });
  }

  /** Validates the request against the command's schema, then runs the handler; resolves with its result. */
  private async runHandler(command: LocalCommand, id: string, request: unknown, context: CommandContext): Promise<unknown> {
    return command.handler(command.requestSchema ? validateRequest(command.requestSchema, id, request) : request, context);
  }

  // ---------------------------------------------------------------------------------------------
  // Events (rule 9)

  /** Delivers an event to local listeners and sends it once to every channel (private ids stay local). */
  emitEvent<K extends EventId<E>>(id: K, ...args: EmitArgs<E, K>): void {
    if (this.disposed) throw new RegistryDisposedError(this.id, `emit event ${id}`);
    let payload: unknown = args[0];
    const schema = this.eventSchemas[id];
    if (schema) {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new InvalidRequestError(`invalid payload for event ${id}: ${z.prettifyError(parsed.error)}`);
      payload = parsed.data;
    }
    this.emitUntyped(id, payload);
  }

  private emitUntyped(eventId: string, payload: unknown): void {
    this.listeners.deliver(payload, { eventId });
    if (isPrivateId(eventId)) return;
    const message: EventMessage = { id: newMessageId(), type: 'event', eventId };
    if (payload !== undefined) message.payload = payload;
    this.seenEvents.set(message.id, true, this.eventTTL);
    for (const state of this.channels.values()) this.send(state, message);
  }

  /** Listens to an event (`'*'` for every event); returns a function that stops listening. */
  addEventListener<K extends ListenId<E>>(id: K, listener: EventListener<ListenPayload<E, K>>): () => void {
    return this.listeners.add(id, listener as EventListener);
  }

  /** Stops a listener added with `addEventListener`. */
  removeEventListener<K extends ListenId<E>>(id: K, listener: EventListener<ListenPayload<E, K>>): void {
    this.listeners.remove(id, listener as EventListener);
  }

  /** Resolves with the payload of the next such event; rejects with `timeout` after `timeoutMs`, or when `signal` aborts. */
  once<K extends ListenId<E>>(id: K, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ListenPayload<E, K>> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = this.listeners.add(id, (payload) => {
        cleanup();
        resolve(payload as ListenPayload<E, K>);
      });
      const onAbort = (): void => {
        cleanup();
        reject(abortReason(options.signal!, id));
      };
      const cleanup = (): void => {
        stop();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new TimeoutError(`event ${id} did not arrive in registry ${this.id} within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      if (options.signal) {
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Closes every channel and settles every pending call, registration and handler signal. Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeOnce();
    return this.disposing;
  }

  private async disposeOnce(): Promise<void> {
    this.disposed = true;
    const reason = new RegistryDisposedError(this.id, 'finish the call');
    for (const entry of this.localCalls.clear()) (entry as LocalCall).fail(reason);
    await Promise.allSettled([...this.channels.values()].map((state) => state.channel.close()));
    for (const state of [...this.channels.values()]) this.handleChannelClosed(state, new Error('registry disposed'));
    for (const pending of this.pending.clear()) this.failPending(pending, reason);
    this.routes.clear();
    this.seenEvents.clear();
    this.servingDeadlines.clear();
    this.listeners.clear();
    this.closedHooks.clear();
    this.commandWaiters.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound messages

  private receive(state: ChannelState, raw: unknown): void {
    if (state.closed || this.disposed) return;
    if (state.inFlight >= this.maxInFlight && state.channel.pause === undefined) {
      state.backlog.push(raw);
      return;
    }
    this.dispatch(state, raw);
  }

  private dispatch(state: ChannelState, raw: unknown): void {
    let message: Message;
    try {
      message = parseMessage(raw);
    } catch (error) {
      this.onMalformed(state, error as ProtocolError);
      return;
    }
    try {
      switch (message.type) {
        case 'list.commands.request':
          return this.onListRequest(state, message.id);
        case 'list.commands.response':
          return this.onListResponse(state, message);
        case 'register.command.request':
          return this.onRegisterRequest(state, message);
        case 'register.command.response':
          return this.onRegisterResponse(state, message);
        case 'execute.command.request':
          return this.onExecuteRequest(state, message);
        case 'execute.command.response':
          return this.onExecuteResponse(state, message);
        case 'event':
          return this.onEvent(state, message);
      }
    } catch (error) {
      // Whatever goes wrong while handling one message must not reach the channel's emitter.
      this.logger.error('failed to handle message', { registry: this.id, channel: state.channel.id, type: message.type, error: String(error) });
    }
  }

  private onMalformed(state: ChannelState, error: ProtocolError): void {
    const channelId = state.channel.id;
    this.logger.warn('malformed message', { registry: this.id, channel: channelId, error: error.message });
    if (error.messageType === 'execute.command.request' && error.messageId !== undefined) {
      this.answerError(channelId, error.messageId, { code: 'invalid_request', message: `malformed request: ${error.message}` });
      return;
    }
    if (error.messageType === 'execute.command.response' && error.thid !== undefined) {
      // Fail the waiting call now rather than leave it to its TTL.
      const pending = this.pending.get(error.thid);
      if (pending?.kind === 'execute' && pending.channelId === channelId) {
        this.pending.delete(error.thid);
        this.failPending(pending, new InternalError(`malformed response to ${pending.commandId} from channel ${channelId}: ${error.message}`));
        return;
      }
      const route = this.routes.get(error.thid);
      if (route && route.targetId === channelId) {
        this.routes.delete(error.thid);
        this.answerError(route.originId, error.thid, { code: 'internal_error', message: `malformed response from channel ${channelId}: ${error.message}` });
      }
    }
  }

  /** Rule 2. */
  private onListRequest(state: ChannelState, requestId: string): void {
    const allowed = state.channel.permissions?.execute;
    const commands: CommandDef[] = [];
    for (const [id, command] of this.local) {
      if (!isPrivateId(id) && isAllowed(id, allowed)) commands.push(command.def);
    }
    const response: ListCommandsResponse = { id: newMessageId(), type: 'list.commands.response', thid: requestId, commands };
    this.send(state, response);
  }

  /** Rule 3. */
  private onListResponse(state: ChannelState, message: ListCommandsResponse): void {
    const channelId = state.channel.id;
    const added: CommandDef[] = [];
    for (const def of message.commands) {
      if (isPrivateId(def.id)) continue;
      if (!isAllowed(def.id, state.channel.permissions?.register)) {
        this.logger.warn('advertised command not permitted', { registry: this.id, channel: channelId, command: def.id });
        continue;
      }
      if (this.local.has(def.id)) {
        this.logger.warn('advertised command is local here; ignored', { registry: this.id, channel: channelId, command: def.id });
        continue;
      }
      const existing = this.remote.get(def.id);
      if (existing && existing.channelId !== channelId) {
        this.logger.warn('advertised command is owned by another channel; ignored', {
          registry: this.id,
          channel: channelId,
          command: def.id,
          owner: existing.channelId,
        });
        continue;
      }
      this.addRemote(state, def);
      if (!existing) added.push(def);
    }
    // A child passes what it learned from below up to its router, so the whole tree can route to it.
    const router = this.routerState();
    if (router && !state.isRouter) {
      for (const def of added) this.escalate(router, def, channelId, undefined);
    }
  }

  /** Rule 5. */
  private onRegisterRequest(state: ChannelState, message: RegisterCommandRequest): void {
    const def = message.command;
    const channelId = state.channel.id;
    const refuse = (why: string): void => {
      this.logger.info('registration refused', { registry: this.id, channel: channelId, command: def.id, why });
      this.answerRegister(state, message.id, false);
    };
    if (isPrivateId(def.id)) return refuse('private ids are never registered remotely');
    if (!isAllowed(def.id, state.channel.permissions?.register)) return refuse('not permitted for this peer');
    if (this.local.has(def.id) || this.registering.has(def.id)) return refuse('registered locally');
    const existing = this.remote.get(def.id);
    if (existing) {
      if (existing.channelId !== channelId) return refuse(`owned by channel ${existing.channelId}`);
      this.addRemote(state, def);
      return this.answerRegister(state, message.id, true);
    }
    const escalatingFrom = this.escalating.get(def.id);
    if (escalatingFrom !== undefined && escalatingFrom !== channelId) return refuse(`being registered by channel ${escalatingFrom}`);
    const router = this.routerState();
    if (router && !state.isRouter) {
      this.escalate(router, def, channelId, message.id);
      return;
    }
    this.addRemote(state, def);
    this.answerRegister(state, message.id, true);
  }

  private escalate(router: ChannelState, def: CommandDef, originChannelId: string, originRequestId: string | undefined): void {
    const requestId = newMessageId();
    this.escalating.set(def.id, originChannelId);
    this.pending.set(
      requestId,
      { kind: 'escalate', commandId: def.id, channelId: router.channel.id, def, originChannelId, originRequestId },
      this.requestTTL,
    );
    this.send(router, { id: requestId, type: 'register.command.request', command: def });
  }

  private onRegisterResponse(state: ChannelState, message: RegisterCommandResponse): void {
    const pending = this.pending.get(message.thid);
    if (!pending || pending.channelId !== state.channel.id || pending.kind === 'execute') {
      this.logger.debug('register response matches nothing; dropped', { registry: this.id, thid: message.thid });
      return;
    }
    this.pending.delete(message.thid);
    const ok = message.response.ok;
    if (pending.kind === 'register') {
      if (ok) {
        // Visible before this message handler returns: the router already routes calls here, and one may
        // arrive in the same read as this answer.
        this.registering.delete(pending.commandId);
        try {
          this.addLocal(pending.commandId, pending.command);
        } catch (error) {
          pending.reject(error as Error);
          return;
        }
        pending.resolve();
      }
      else pending.reject(new DuplicateCommandError(`command ${pending.commandId} is already registered in the mesh (router channel ${pending.channelId} of registry ${this.id} refused it)`));
      return;
    }
    this.finishEscalation(pending, ok);
  }

  private finishEscalation(pending: Extract<Pending, { kind: 'escalate' }>, ok: boolean): void {
    if (this.escalating.get(pending.commandId) === pending.originChannelId) this.escalating.delete(pending.commandId);
    const origin = this.channels.get(pending.originChannelId);
    if (!origin || origin.closed) return;
    if (ok) this.addRemote(origin, pending.def);
    else if (this.remote.get(pending.commandId)?.channelId === pending.originChannelId) {
      // The router refused a command learned from a list response: it cannot be routed mesh-wide.
      this.remote.delete(pending.commandId);
      origin.commands.delete(pending.commandId);
      this.logger.warn('router refused a downstream command', { registry: this.id, command: pending.commandId, channel: pending.originChannelId });
    }
    if (pending.originRequestId !== undefined) this.answerRegister(origin, pending.originRequestId, ok);
  }

  /** Rule 7. */
  private onExecuteRequest(state: ChannelState, message: ExecuteCommandRequest): void {
    const channelId = state.channel.id;
    const commandId = message.commandId;
    if (!isAllowed(commandId, state.channel.permissions?.execute)) {
      return this.answerError(channelId, message.id, { code: 'not_found', message: `command not found: ${commandId} (registry ${this.id})` });
    }
    const caller = stampCaller(message.meta?.caller, state.channel, state.isRouter);
    const deadline = message.meta?.deadline;
    // Time left before the caller's deadline (read once), or undefined when it gave none.
    const remaining = deadline === undefined ? undefined : deadline - Date.now();
    if (remaining !== undefined && remaining <= 0) {
      return this.answerError(channelId, message.id, {
        code: 'timeout',
        message: `command ${commandId} arrived at registry ${this.id} after its deadline; not run`,
      });
    }
    const local = this.local.get(commandId);
    if (local) return this.serveLocal(state, message, local, caller, deadline, remaining);

    let target: ChannelState | undefined;
    const owner = this.remote.get(commandId);
    if (owner) {
      target = this.channels.get(owner.channelId);
      if (!target || target.closed) {
        return this.answerError(channelId, message.id, {
          code: 'channel_disconnected',
          message: `command ${commandId}: channel ${owner.channelId} of registry ${this.id} is gone`,
        });
      }
    } else if (this.routerChannelId !== undefined) {
      target = this.routerState();
      if (!target && !state.isRouter) {
        return this.answerError(channelId, message.id, {
          code: 'channel_disconnected',
          message: `command ${commandId}: router channel ${this.routerChannelId} of registry ${this.id} is not connected`,
        });
      }
    }
    if (!target || target === state) {
      return this.answerError(channelId, message.id, { code: 'not_found', message: `command not found: ${commandId} (registry ${this.id})` });
    }
    if (this.routes.has(message.id) || this.pending.has(message.id)) {
      return this.answerError(channelId, message.id, { code: 'not_found', message: `command ${commandId}: request ${message.id} is already being routed (loop)` });
    }
    this.routes.set(message.id, { originId: channelId, targetId: target.channel.id, commandId }, remaining ?? this.requestTTL);
    const forward: ExecuteCommandRequest = { id: message.id, type: 'execute.command.request', commandId };
    if (message.request !== undefined) forward.request = message.request;
    if (target.channel.extensions === true) forward.meta = { ...message.meta, caller };
    this.send(target, forward);
  }

  private serveLocal(
    state: ChannelState,
    message: ExecuteCommandRequest,
    command: LocalCommand,
    caller: string,
    deadline: number | undefined,
    remaining: number | undefined,
  ): void {
    const channelId = state.channel.id;
    const context = new HandlerContext(message.commandId, caller, deadline, message.meta?.traceId, channelId);
    state.contexts.add(context);
    if (remaining !== undefined) this.servingDeadlines.add(context, remaining);
    state.inFlight++;
    if (state.inFlight >= this.maxInFlight && !state.paused && state.channel.pause) {
      state.paused = true;
      state.channel.pause();
    }
    this.runHandler(command, message.commandId, message.request, context).then(
      (result) => this.finishServe(state, context, message.id, { ok: true, result }),
      (error: unknown) => this.finishServe(state, context, message.id, { ok: false, error: toWireError(error) }),
    );
  }

  private finishServe(state: ChannelState, context: HandlerContext, requestId: string, outcome: { ok: true; result: unknown } | { ok: false; error: WireError }): void {
    state.contexts.delete(context);
    this.servingDeadlines.remove(context);
    state.inFlight--;
    if (state.closed) return;
    const response: ExecuteCommandResponse = {
      id: newMessageId(),
      type: 'execute.command.response',
      thid: requestId,
      response: outcome.ok ? (outcome.result === undefined ? { ok: true } : { ok: true, result: outcome.result }) : outcome,
    };
    this.send(state, response);
    if (state.inFlight < this.maxInFlight) {
      if (state.paused) {
        state.paused = false;
        state.channel.resume?.();
      }
      while (state.backlog.length > 0 && state.inFlight < this.maxInFlight && !state.closed) this.dispatch(state, state.backlog.shift());
    }
  }

  /** Rule 8. */
  private onExecuteResponse(state: ChannelState, message: ExecuteCommandResponse): void {
    const channelId = state.channel.id;
    const pending = this.pending.get(message.thid);
    if (pending?.kind === 'execute' && pending.channelId === channelId) {
      this.pending.delete(message.thid);
      pending.cleanup?.();
      const response = message.response;
      if (response.ok) pending.resolve(response.result);
      else pending.reject(errorFromCode(response.error.code, response.error.message));
      return;
    }
    const route = this.routes.get(message.thid);
    if (route && route.targetId === channelId) {
      this.routes.delete(message.thid);
      const origin = this.channels.get(route.originId);
      if (!origin || origin.closed) return;
      const back: ExecuteCommandResponse = { id: message.id, type: 'execute.command.response', thid: message.thid, response: message.response };
      if (origin.channel.extensions === true && message.meta) back.meta = message.meta;
      this.send(origin, back);
      return;
    }
    this.logger.debug('execute response matches nothing; dropped', { registry: this.id, channel: channelId, thid: message.thid });
  }

  /** Rule 9, inbound. */
  private onEvent(state: ChannelState, message: EventMessage): void {
    if (this.seenEvents.has(message.id)) return;
    this.seenEvents.set(message.id, true, this.eventTTL);
    if (isPrivateId(message.eventId)) {
      this.logger.warn('private event arrived on a channel; dropped', { registry: this.id, channel: state.channel.id, event: message.eventId });
      return;
    }
    if (message.eventId.startsWith(SYSTEM_EVENT_PREFIX) && !state.isRouter) {
      // Events carry no authentication, and handlers act on these (the TCP handler closes a departed
      // owner's sockets): they are trusted only coming down from this registry's router, never up from a peer.
      this.logger.warn('system event from a peer that is not the router; dropped', { registry: this.id, channel: state.channel.id, event: message.eventId });
      return;
    }
    this.listeners.deliver(message.payload, { eventId: message.eventId, channelId: state.channel.id });
    const forward: EventMessage = { id: message.id, type: 'event', eventId: message.eventId };
    if (message.payload !== undefined) forward.payload = message.payload;
    for (const other of this.channels.values()) {
      if (other !== state) this.send(other, forward);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private send(state: ChannelState, message: Message): void {
    if (state.closed) return;
    try {
      state.channel.sendMessage(message);
    } catch (error) {
      // A transport that throws on send is treated as gone: everything waiting on it settles now.
      this.logger.error('send failed; closing channel', { registry: this.id, channel: state.channel.id, error: String(error) });
      this.handleChannelClosed(state, error instanceof Error ? error : new Error(String(error)));
      void state.channel.close().catch(() => {});
    }
  }

  private answerError(channelId: string, requestId: string, error: WireError): void {
    const state = this.channels.get(channelId);
    if (!state || state.closed) return;
    this.send(state, { id: newMessageId(), type: 'execute.command.response', thid: requestId, response: { ok: false, error } });
  }

  private answerRegister(state: ChannelState, requestId: string, ok: boolean): void {
    this.send(state, {
      id: newMessageId(),
      type: 'register.command.response',
      thid: requestId,
      response: ok ? { ok: true } : { ok: false, error: 'duplicate_command' },
    });
  }

  private routerState(): ChannelState | undefined {
    if (this.routerChannelId === undefined) return undefined;
    const state = this.channels.get(this.routerChannelId);
    return state && !state.closed ? state : undefined;
  }

  /** On linking to the router, passes up every command learned from below (local ones go by its list request). */
  private escalateDownstreamCommands(): void {
    const router = this.routerState();
    if (!router) return;
    for (const command of this.remote.values()) {
      if (command.channelId !== router.channel.id) this.escalate(router, command.def, command.channelId, undefined);
    }
  }

  private assertFreeId(id: string): void {
    if (this.local.has(id) || this.registering.has(id)) {
      throw new DuplicateCommandError(`command ${id} is already registered in registry ${this.id}`);
    }
    const remote = this.remote.get(id);
    if (remote) throw new DuplicateCommandError(`command ${id} is already registered by channel ${remote.channelId} of registry ${this.id}`);
  }

  private addLocal(id: string, command: LocalCommand): void {
    this.assertFreeId(id);
    this.local.set(id, command);
    this.wakeWaiters(id);
  }

  private addRemote(state: ChannelState, def: CommandDef): void {
    this.remote.set(def.id, { def, channelId: state.channel.id });
    state.commands.add(def.id);
    this.wakeWaiters(def.id);
  }

  private wakeWaiters(id: string): void {
    const waiters = this.commandWaiters.get(id);
    if (!waiters) return;
    this.commandWaiters.delete(id);
    for (const wake of waiters) wake();
  }

  private failPending(pending: Pending, error: CommandError): void {
    switch (pending.kind) {
      case 'execute':
        pending.cleanup?.();
        pending.reject(error);
        return;
      case 'register':
        pending.reject(error);
        return;
      case 'escalate':
        // The router went away mid-escalation: keep serving the command below; it is escalated again on relink.
        if (error.code === 'channel_disconnected' && !this.disposed) this.finishEscalation(pending, true);
        else if (this.escalating.get(pending.commandId) === pending.originChannelId) this.escalating.delete(pending.commandId);
        return;
    }
  }

  private onPendingExpired(id: string, pending: Pending): void {
    const where = `channel ${pending.channelId} of registry ${this.id}`;
    switch (pending.kind) {
      case 'execute':
        this.failPending(pending, new TimeoutError(`command ${pending.commandId} timed out after ${pending.ttl} ms waiting on ${where}`));
        return;
      case 'register':
        this.failPending(pending, new TimeoutError(`registration of ${pending.commandId} timed out waiting on ${where}`));
        return;
      case 'escalate':
        // No answer can be given: the only register error is duplicate_command, which would be a lie.
        this.logger.warn('escalated registration got no answer from the router', { registry: this.id, command: pending.commandId, request: id });
        this.failPending(pending, new TimeoutError(`registration of ${pending.commandId} timed out`));
        return;
    }
  }

  private onRouteExpired(id: string, route: Route): void {
    this.answerError(route.originId, id, {
      code: 'timeout',
      message: `command ${route.commandId} timed out in registry ${this.id} waiting on channel ${route.targetId}`,
    });
  }
}

function abortReason(signal: AbortSignal, id: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(`command ${id} was aborted`, 'AbortError');
}

const NO_OPTIONS: ExecuteOptions = Object.freeze({});

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Parses a request with the command's schema; throws invalid_request with zod's message, naming the command. */
function validateRequest(schema: ZodType, id: string, request: unknown): unknown {
  const parsed = schema.safeParse(request);
  if (!parsed.success) throw new InvalidRequestError(`invalid request for ${id}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

