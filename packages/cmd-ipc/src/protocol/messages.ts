/**
 * The cmd-ipc v1 message shapes (see PROTOCOL.md), as TypeScript types.
 * Runtime validation lives in parse-message.ts; these are the types every module shares.
 */

/** A JSON Schema document (draft 2020-12) carried as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/** The wire error codes an execute response can carry. */
export type ExecuteErrorCode = 'not_found' | 'invalid_request' | 'internal_error' | 'timeout' | 'channel_disconnected';

/** The only error a register response can carry. */
export type RegisterErrorCode = 'duplicate_command';

/** Every wire error code, execute and register. */
export type ErrorCode = ExecuteErrorCode | RegisterErrorCode;

/** The execute error codes as a list, for validation. */
export const EXECUTE_ERROR_CODES: readonly ExecuteErrorCode[] = [
  'not_found',
  'invalid_request',
  'internal_error',
  'timeout',
  'channel_disconnected',
];

/** Optional extension data carried on any message (PROTOCOL.md "Extensions"). */
export interface MessageMeta {
  /** Who asked, as a path of segments, e.g. `node-a/actor-42`. */
  caller?: string;
  /** Epoch milliseconds after which the caller no longer wants the answer. */
  deadline?: number;
  /** Carried unchanged across hops. */
  traceId?: string;
  [key: string]: unknown;
}

/** A command's advertised definition. */
export interface CommandDef {
  id: string;
  description?: string;
  schema?: { request?: JsonSchema; response?: JsonSchema };
}

interface MessageBase {
  id: string;
  meta?: MessageMeta;
}

export interface RegisterCommandRequest extends MessageBase {
  type: 'register.command.request';
  command: CommandDef;
}

export interface RegisterCommandResponse extends MessageBase {
  type: 'register.command.response';
  thid: string;
  response: { ok: true } | { ok: false; error: RegisterErrorCode };
}

export interface ListCommandsRequest extends MessageBase {
  type: 'list.commands.request';
}

export interface ListCommandsResponse extends MessageBase {
  type: 'list.commands.response';
  thid: string;
  commands: CommandDef[];
}

export interface ExecuteCommandRequest extends MessageBase {
  type: 'execute.command.request';
  commandId: string;
  request?: unknown;
}

/** The wire form of an execute failure. */
export interface WireError {
  code: ExecuteErrorCode;
  message: string;
}

export interface ExecuteCommandResponse extends MessageBase {
  type: 'execute.command.response';
  thid: string;
  response: { ok: true; result?: unknown } | { ok: false; error: WireError };
}

export interface EventMessage extends MessageBase {
  type: 'event';
  eventId: string;
  payload?: unknown;
}

/** Any cmd-ipc v1 message. */
export type Message =
  | RegisterCommandRequest
  | RegisterCommandResponse
  | ListCommandsRequest
  | ListCommandsResponse
  | ExecuteCommandRequest
  | ExecuteCommandResponse
  | EventMessage;

/** The `type` field of every message kind. */
export type MessageType = Message['type'];

/** True when an id is private (never advertised, never sent on a channel). */
export function isPrivateId(id: string): boolean {
  return id.startsWith('_');
}
