import type {
  ChannelClosedInfo,
  ChannelInfo,
  CommandContext,
  CommandInfo,
  EventContext,
  ExecuteOptions,
  RegisterCommandOptions,
} from 'cmd-ipc';

/**
 * The part of `CommandRegistry` the handler uses. Declared structurally so the handler works with any
 * registry that keeps this shape (and so tests can see exactly what it depends on).
 */
export interface RegistryPort {
  // Contract relied on: registerCommand checks each request against `options.schema.request` before the
  // handler runs (failing with `invalid_request`) and hands the handler the parsed value.
  readonly id: string;
  registerCommand(
    id: string,
    handler: (request: unknown, context: CommandContext) => unknown,
    options?: RegisterCommandOptions,
  ): Promise<void>;
  unregisterCommand(id: string): void;
  executeCommand(id: string, request?: unknown, options?: ExecuteOptions): Promise<unknown>;
  emitEvent(id: string, payload?: unknown): void;
  addEventListener(id: string, listener: (payload: unknown, context: EventContext) => void): () => void;
  onChannelClosed(listener: (info: ChannelClosedInfo) => void): () => void;
  listCommands(): CommandInfo[];
  listChannels(): ChannelInfo[];
}
