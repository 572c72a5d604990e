import type { CommandDef, ExecuteErrorCode, Message, MessageMeta, MessageType } from './messages.js';
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

function parse(value: unknown, strict: boolean): Message {
  if (!isObject(value)) throw new ProtocolError(`message must be a JSON object, got ${describe(value)}`);
  const id = value.id;
  const type = value.type;
  const details: { messageId?: string; messageType?: MessageType; thid?: string } = {};
  if (typeof id === 'string') details.messageId = id;
  if (typeof type === 'string' && type in MESSAGE_KEYS) details.messageType = type as MessageType;
  if (typeof value.thid === 'string') details.thid = value.thid;
  const fail = (what: string): never => {
    throw new ProtocolError(`${details.messageType ?? 'message'}${details.messageId ? ` ${details.messageId}` : ''}: ${what}`, details);
  };

  if (typeof id !== 'string' || id.length === 0) fail(`"id" must be a non-empty string, got ${describe(id)}`);
  if (details.messageType === undefined) fail(`"type" must be one of ${Object.keys(MESSAGE_KEYS).join(', ')}, got ${describe(type)}`);
  const messageType = details.messageType!;

  if (strict) {
    const allowed = MESSAGE_KEYS[messageType];
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) fail(`unexpected key "${key}" (a strict v1 peer accepts only ${allowed.join(', ')})`);
      if (value[key] === null && key !== 'payload') fail(`"${key}" is null; an absent value must be left out`);
    }
  }

  const meta = strict ? undefined : readMeta(value.meta, fail);
  const base = meta === undefined ? { id: id as string } : { id: id as string, meta };
  const readThid = (): string => {
    if (typeof value.thid !== 'string' || value.thid.length === 0) fail(`"thid" must be a non-empty string, got ${describe(value.thid)}`);
    return value.thid as string;
  };

  switch (messageType) {
    case 'register.command.request':
      return { ...base, type: messageType, command: readCommandDef(value.command, '"command"', strict, fail) };
    case 'register.command.response': {
      const thid = readThid();
      const response = value.response;
      if (!isObject(response)) return fail(`"response" must be an object, got ${describe(response)}`);
      if (strict) checkKeys(response, response.ok === true ? ['ok'] : ['ok', 'error'], '"response"', fail);
      if (response.ok === true) return { ...base, type: messageType, thid, response: { ok: true } };
      if (response.ok === false && response.error === 'duplicate_command') {
        return { ...base, type: messageType, thid, response: { ok: false, error: 'duplicate_command' } };
      }
      return fail(`"response" must be {ok: true} or {ok: false, error: "duplicate_command"}, got ok=${describe(response.ok)} error=${describe(response.error)}`);
    }
    case 'list.commands.request':
      return { ...base, type: messageType };
    case 'list.commands.response': {
      const thid = readThid();
      if (!Array.isArray(value.commands)) return fail(`"commands" must be an array, got ${describe(value.commands)}`);
      const commands = value.commands.map((entry, index) => readCommandDef(entry, `"commands[${index}]"`, strict, fail));
      return { ...base, type: messageType, thid, commands };
    }
    case 'execute.command.request': {
      const commandId = value.commandId;
      if (typeof commandId !== 'string' || commandId.length === 0) return fail(`"commandId" must be a non-empty string, got ${describe(commandId)}`);
      if (strict && value.request !== undefined && !isObject(value.request)) fail(`"request" must be an object, got ${describe(value.request)}`);
      const request = value.request;
      return request === undefined || request === null
        ? { ...base, type: messageType, commandId }
        : { ...base, type: messageType, commandId, request };
    }
    case 'execute.command.response': {
      const thid = readThid();
      const response = value.response;
      if (!isObject(response)) return fail(`"response" must be an object, got ${describe(response)}`);
      if (response.ok === true) {
        // A null result is a value a handler returned, not an absent one, so it is allowed here.
        if (strict) checkKeys(response, ['ok', 'result'], '"response"', fail, ['result']);
        const result = response.result;
        return result === undefined
          ? { ...base, type: messageType, thid, response: { ok: true } }
          : { ...base, type: messageType, thid, response: { ok: true, result } };
      }
      if (response.ok !== false) return fail(`"response.ok" must be true or false, got ${describe(response.ok)}`);
      if (strict) checkKeys(response, ['ok', 'error'], '"response"', fail);
      const error = response.error;
      if (!isObject(error)) return fail(`"response.error" must be {code, message}, got ${describe(error)}`);
      if (strict) checkKeys(error, ['code', 'message'], '"response.error"', fail);
      if (!(EXECUTE_ERROR_CODES as readonly unknown[]).includes(error.code)) {
        return fail(`"response.error.code" must be one of ${EXECUTE_ERROR_CODES.join(', ')}, got ${describe(error.code)}`);
      }
      if (typeof error.message !== 'string') return fail(`"response.error.message" must be a string, got ${describe(error.message)}`);
      return {
        ...base,
        type: messageType,
        thid,
        response: { ok: false, error: { code: error.code as ExecuteErrorCode, message: error.message } },
      };
    }
    case 'event': {
      const eventId = value.eventId;
      if (typeof eventId !== 'string' || eventId.length === 0) return fail(`"eventId" must be a non-empty string, got ${describe(eventId)}`);
      const payload = value.payload;
      return payload === undefined
        ? { ...base, type: messageType, eventId }
        : { ...base, type: messageType, eventId, payload };
    }
  }
}

function checkKeys(value: Obj, allowed: readonly string[], where: string, fail: (what: string) => never, nullable: readonly string[] = []): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${where} has unexpected key "${key}"`);
    if (value[key] === null && !nullable.includes(key)) fail(`${where}.${key} is null; an absent value must be left out`);
  }
}

function readCommandDef(value: unknown, where: string, strict: boolean, fail: (what: string) => never): CommandDef {
  if (!isObject(value)) return fail(`${where} must be a command definition object, got ${describe(value)}`);
  if (strict) checkKeys(value, ['id', 'description', 'schema'], where, fail);
  if (typeof value.id !== 'string' || value.id.length === 0) return fail(`${where}.id must be a non-empty string, got ${describe(value.id)}`);
  const def: CommandDef = { id: value.id };
  if (value.description !== undefined && value.description !== null) {
    if (typeof value.description !== 'string') fail(`${where}.description must be a string, got ${describe(value.description)}`);
    def.description = value.description as string;
  }
  const schema = value.schema;
  if (schema !== undefined && schema !== null) {
    if (!isObject(schema)) return fail(`${where}.schema must be an object, got ${describe(schema)}`);
    if (strict) checkKeys(schema, ['request', 'response'], `${where}.schema`, fail);
    const out: NonNullable<CommandDef['schema']> = {};
    for (const key of ['request', 'response'] as const) {
      const part = schema[key];
      if (part === undefined || part === null) continue;
      if (!isObject(part) && typeof part !== 'boolean') fail(`${where}.schema.${key} must be a JSON Schema, got ${describe(part)}`);
      out[key] = part as Obj;
    }
    def.schema = out;
  }
  return def;
}

function readMeta(value: unknown, fail: (what: string) => never): MessageMeta | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return fail(`"meta" must be an object, got ${describe(value)}`);
  if (value.caller !== undefined && typeof value.caller !== 'string') fail(`"meta.caller" must be a string, got ${describe(value.caller)}`);
  if (value.deadline !== undefined && (typeof value.deadline !== 'number' || !Number.isFinite(value.deadline))) {
    fail(`"meta.deadline" must be epoch milliseconds, got ${describe(value.deadline)}`);
  }
  if (value.traceId !== undefined && typeof value.traceId !== 'string') fail(`"meta.traceId" must be a string, got ${describe(value.traceId)}`);
  return value as MessageMeta;
}
