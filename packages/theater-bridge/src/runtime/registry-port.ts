import type { CommandContext, ExecuteOptions, RegisterCommandOptions } from 'cmd-ipc';

/**
 * The part of `CommandRegistry` the theater uses, declared structurally so the runtime depends on
 * exactly this much (a `CommandRegistry` satisfies it).
 */
export interface RegistryPort {
  readonly id: string;
  registerCommand(
    id: string,
    handler: (request: unknown, context: CommandContext) => unknown,
    options?: RegisterCommandOptions,
  ): Promise<void>;
  unregisterCommand(id: string): unknown;
  executeCommand(id: string, request?: unknown, options?: ExecuteOptions): Promise<unknown>;
  emitEvent(id: string, payload?: unknown): void;
}
