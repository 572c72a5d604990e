import type { CommandContext, RegisterCommandOptions } from 'cmd-ipc';
import {
  HandleConnectionSchema,
  HandleConnectionTransferSchema,
  OnCloseSchema,
  OnDataSchema,
  type HandleConnectionRequest,
  type HandleConnectionTransferRequest,
  type OnCloseRequest,
} from '../schemas/callbacks.js';

/** Anything commands can be registered on (a `CommandRegistry`). */
export interface CommandRegistrar {
  registerCommand(
    id: string,
    handler: (request: unknown, context: CommandContext) => unknown,
    options?: RegisterCommandOptions,
  ): Promise<void>;
  unregisterCommand(id: string): void;
}

/** An owner's reactions to what the TCP handler pushes; leave out the ones it does not need. */
export interface TcpCallbacks {
  /** A listener accepted a connection; it is pending until the owner activates or transfers it. */
  handleConnection?(request: HandleConnectionRequest, context: CommandContext): unknown;
  /** A connection was handed to this owner; pushes start once this returns. */
  handleConnectionTransfer?(request: HandleConnectionTransferRequest, context: CommandContext): unknown;
  /** One chunk, in order; the next comes only after this returns (a slow owner slows the peer). */
  onData?(connectionId: string, data: Buffer, context: CommandContext): unknown;
  /** The connection closed for a reason other than the owner's own tcp.close. */
  onClose?(request: OnCloseRequest, context: CommandContext): unknown;
}

/**
 * Registers an owner's callbacks under `prefix` (`<prefix>.on-data`, …) with their schemas, decoding
 * data to Buffers. Returns a function that unregisters them.
 */
export async function registerTcpCallbacks(
  registry: CommandRegistrar,
  prefix: string,
  callbacks: TcpCallbacks,
): Promise<() => void> {
  const ids: string[] = [];
  const add = async (name: string, options: RegisterCommandOptions, run: (request: unknown, context: CommandContext) => unknown): Promise<void> => {
    const id = `${prefix}.${name}`;
    await registry.registerCommand(id, run, options);
    ids.push(id);
  };
  const { handleConnection, handleConnectionTransfer, onData, onClose } = callbacks;
  if (handleConnection) {
    await add('handle-connection', { schema: { request: HandleConnectionSchema } }, async (request, context) => {
      await handleConnection(HandleConnectionSchema.parse(request), context);
    });
  }
  if (handleConnectionTransfer) {
    await add('handle-connection-transfer', { schema: { request: HandleConnectionTransferSchema } }, async (request, context) => {
      await handleConnectionTransfer(HandleConnectionTransferSchema.parse(request), context);
    });
  }
  if (onData) {
    await add('on-data', { schema: { request: OnDataSchema } }, async (request, context) => {
      const { connectionId, data } = OnDataSchema.parse(request);
      await onData(connectionId, Buffer.from(data, 'base64'), context);
    });
  }
  if (onClose) {
    await add('on-close', { schema: { request: OnCloseSchema } }, async (request, context) => {
      await onClose(OnCloseSchema.parse(request), context);
    });
  }
  return () => {
    for (const id of ids) registry.unregisterCommand(id);
  };
}
