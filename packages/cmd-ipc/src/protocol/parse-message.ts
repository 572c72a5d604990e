import type { CommandDef, Message, MessageMeta, MessageType } from './messages.js';
import { EXECUTE_ERROR_CODES } from './messages.js';

/** Raised by `parseMessage` for anything that is not a valid cmd-ipc v1 message. */
export class ProtocolError extends Error {
  readonly code = 'invalid_message';
  /** The message's `id`, when the input had a string one (so a request can still be answered). */
  readonly messageId: string | undefined;
  /** The message's `type`, when the input had a known one. */
  readonly messageType: MessageType | undefined;
  /** The `thid`, when the input had a string one (so a pending call can be failed rather than left to time out). */
  readonly thid: string | undefined;

  constructor(message: string, details: { messageId?: string; messageType?: MessageType; thid?: string } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.messageId = details.messageId;
    this.messageType = details.messageType;
    this.thid = details.thid;
  }
}

/** Options for `parseMessage`. */
export interface ParseOptions {
  /**
   * Strict v1: no key beyond those PROTOCOL.md lists (so no `meta`), no `null` in place of an absent
   * value, `request` an object. Use it to check what is sent to a strict peer. Default false: unknown
   * top-level keys are ignored and `null` for an optional value reads as absent.
   */
  strict?: boolean;
}

const MESSAGE_KEYS: Record<MessageType, readonly string[]> = {
  'register.command.request': ['id', 'type', 'command'],
  'register.command.response': ['id', 'type', 'thid', 'response'],
  'list.commands.request': ['id', 'type'],
  'list.commands.response': ['id', 'type', 'thid', 'commands'],
  'execute.command.request': ['id', 'type', 'commandId', 'request'],
  'execute.command.response': ['id', 'type', 'thid', 'response'],
  event: ['id', 'type', 'eventId', 'payload'],
};

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : typeof value;
}

/**
 * Turns anything received into a typed cmd-ipc message, or throws a ProtocolError naming what is wrong.
 * It never throws anything else, whatever the input (getters that throw, cycles, odd prototypes).
 */
export function parseMessage(value: unknown, options: ParseOptions = {}): Message {
  try {
    return parse(value, options.strict === true);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`message could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Builds the error for `value`, reading its id, type and thid (if any) for the message and the details. */
function bad(value: Obj, what: string): ProtocolError {
  const details: { messageId?: string; messageType?: MessageType; thid?: string } = {};
  if (typeof value.id === 'string' && value.id.length > 0) details.messageId = value.id;
  if (typeof value.type === 'string' && Object.hasOwn(MESSAGE_KEYS, value.type)) details.messageType = value.type as MessageType;
  if (typeof value.thid === 'string') details.thid = value.thid;
  const prefix = `${details.messageType ?? 'message'}${details.messageId ? ` ${details.messageId}` : ''}`;
  return new ProtocolError(`${prefix}: ${what}`, details);
}

/**
 * Checks `value` in place. The hot path (execute requests and responses, events) returns the input object
 * itself when it needs no normalization, so reading a message allocates nothing; unknown top-level keys
 * are then left on it (a receiver ignores what it does not know) and never forwarded, since the registry
 * builds every outbound message field by field. Command definitions are always copied clean, because
 * they are stored and re-sent.
 */
function parse(value: unknown, strict: boolean): Message {
  if (!isObject(value)) throw new ProtocolError(`message must be a JSON object, got ${describe(value)}`);
  const id = value.id;
  const type = value.type;
  if (typeof id !== 'string' || id.length === 0) throw bad(value, `"id" must be a non-empty string, got ${describe(id)}`);
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGE_KEYS, type)) {
    throw bad(value, `"type" must be one of ${Object.keys(MESSAGE_KEYS).join(', ')}, got ${describe(type)}`);
  }
  const messageType = type as MessageType;
  if (strict) {
    const allowed = MESSAGE_KEYS[messageType];
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) throw bad(value, `unexpected key "${key}" (a strict v1 peer accepts only ${allowed.join(', ')})`);
      if (value[key] === null && key !== 'payload') throw bad(value, `"${key}" is null; an absent value must be left out`);
    }
  }
  let normalize = false;
  const meta = value.meta;
  if (meta !== undefined) {
    if (meta === null) normalize = true;
    else checkMeta(value, meta);
  }
  if (messageType !== 'list.commands.request' && messageType !== 'register.command.request' && messageType !== 'execute.command.request' && messageType !== 'event') {
    if (typeof value.thid !== 'string' || value.thid.length === 0) throw bad(value, `"thid" must be a non-empty string, got ${describe(value.thid)}`);
  }

  switch (messageType) {
    case 'execute.command.request': {
      const commandId = value.commandId;
      if (typeof commandId !== 'string' || commandId.length === 0) throw bad(value, `"commandId" must be a non-empty string, got ${describe(commandId)}`);
      const request = value.request;
      if (strict && request !== undefined && !isObject(request)) throw bad(value, `"request" must be an object, got ${describe(request)}`);
      if (!normalize && request !== null) return value as unknown as Message;
      const out: Obj = { id, type, commandId };
      if (request !== undefined && request !== null) out.request = request;
      if (isObject(meta)) out.meta = meta;
      return out as unknown as Message;
    }
    case 'execute.command.response': {
      const response = value.response;
      if (!isObject(response)) throw bad(value, `"response" must be an object, got ${describe(response)}`);
      if (response.ok === true) {
        // A null result is a value a handler returned, not an absent one, so it is allowed here.
        if (strict) checkKeys(value, response, ['ok', 'result'], '"response"', ['result']);
      } else if (response.ok === false) {
        if (strict) checkKeys(value, response, ['ok', 'error'], '"response"');
        const error = response.error;
        if (!isObject(error)) throw bad(value, `"response.error" must be {code, message}, got ${describe(error)}`);
        if (strict) checkKeys(value, error, ['code', 'message'], '"response.error"');
        if (!(EXECUTE_ERROR_CODES as readonly unknown[]).includes(error.code)) {
          throw bad(value, `"response.error.code" must be one of ${EXECUTE_ERROR_CODES.join(', ')}, got ${describe(error.code)}`);
        }
        if (typeof error.message !== 'string') throw bad(value, `"response.error.message" must be a string, got ${describe(error.message)}`);
      } else {
        throw bad(value, `"response.ok" must be true or false, got ${describe(response.ok)}`);
      }
      return normalize ? withoutMeta(value) : (value as unknown as Message);
    }
    case 'event': {
      const eventId = value.eventId;
      if (typeof eventId !== 'string' || eventId.length === 0) throw bad(value, `"eventId" must be a non-empty string, got ${describe(eventId)}`);
      return normalize ? withoutMeta(value) : (value as unknown as Message);
    }
    case 'list.commands.request':
      return normalize ? withoutMeta(value) : (value as unknown as Message);
    case 'register.command.request': {
      const out: Obj = { id, type, command: readCommandDef(value, value.command, '"command"', strict) };
      if (isObject(meta)) out.meta = meta;
      return out as unknown as Message;
    }
    case 'register.command.response': {
      const response = value.response;
      if (!isObject(response)) throw bad(value, `"response" must be an object, got ${describe(response)}`);
      if (strict) checkKeys(value, response, response.ok === true ? ['ok'] : ['ok', 'error'], '"response"');
      if (!(response.ok === true || (response.ok === false && response.error === 'duplicate_command'))) {
        throw bad(value, `"response" must be {ok: true} or {ok: false, error: "duplicate_command"}, got ok=${describe(response.ok)} error=${describe(response.error)}`);
      }
      return normalize ? withoutMeta(value) : (value as unknown as Message);
    }
    case 'list.commands.response': {
      const commands = value.commands;
      if (!Array.isArray(commands)) throw bad(value, `"commands" must be an array, got ${describe(commands)}`);
      const out: Obj = { id, type, thid: value.thid, commands: commands.map((entry, index) => readCommandDef(value, entry, `"commands[${index}]"`, strict)) };
      if (isObject(meta)) out.meta = meta;
      return out as unknown as Message;
    }
  }
}

function withoutMeta(value: Obj): Message {
  const { meta: _meta, ...rest } = value;
  return rest as unknown as Message;
}

function checkKeys(message: Obj, value: Obj, allowed: readonly string[], where: string, nullable: readonly string[] = []): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw bad(message, `${where} has unexpected key "${key}"`);
    if (value[key] === null && !nullable.includes(key)) throw bad(message, `${where}.${key} is null; an absent value must be left out`);
  }
}

function readCommandDef(message: Obj, value: unknown, where: string, strict: boolean): CommandDef {
  if (!isObject(value)) throw bad(message, `${where} must be a command definition object, got ${describe(value)}`);
  if (strict) checkKeys(message, value, ['id', 'description', 'schema'], where);
  if (typeof value.id !== 'string' || value.id.length === 0) throw bad(message, `${where}.id must be a non-empty string, got ${describe(value.id)}`);
  const def: CommandDef = { id: value.id };
  if (value.description !== undefined && value.description !== null) {
    if (typeof value.description !== 'string') throw bad(message, `${where}.description must be a string, got ${describe(value.description)}`);
    def.description = value.description;
  }
  const schema = value.schema;
  if (schema !== undefined && schema !== null) {
    if (!isObject(schema)) throw bad(message, `${where}.schema must be an object, got ${describe(schema)}`);
    if (strict) checkKeys(message, schema, ['request', 'response'], `${where}.schema`);
    const out: NonNullable<CommandDef['schema']> = {};
    for (const key of ['request', 'response'] as const) {
      const part = schema[key];
      if (part === undefined || part === null) continue;
      if (!isObject(part)) throw bad(message, `${where}.schema.${key} must be a JSON Schema object, got ${describe(part)}`);
      out[key] = part;
    }
    def.schema = out;
  }
  return def;
}

function checkMeta(message: Obj, meta: unknown): asserts meta is MessageMeta {
  if (!isObject(meta)) throw bad(message, `"meta" must be an object, got ${describe(meta)}`);
  if (meta.caller !== undefined && typeof meta.caller !== 'string') throw bad(message, `"meta.caller" must be a string, got ${describe(meta.caller)}`);
  if (meta.deadline !== undefined && (typeof meta.deadline !== 'number' || !Number.isFinite(meta.deadline))) {
    throw bad(message, `"meta.deadline" must be epoch milliseconds, got ${describe(meta.deadline)}`);
  }
  if (meta.traceId !== undefined && typeof meta.traceId !== 'string') throw bad(message, `"meta.traceId" must be a string, got ${describe(meta.traceId)}`);
}
