import { z, type ZodType } from 'zod';
import type { CommandDef, JsonSchema } from '../protocol/messages.js';
import type { CommandContext } from '../registry/types.js';

/** The zod schemas of one command. */
export interface CommandSchema {
  request?: ZodType;
  response?: ZodType;
  description?: string;
}

/** Command id → its schemas. */
export type CommandSchemaMap = { [id: string]: CommandSchema };

/** Event id → its payload schema (`undefined` for an event with no payload). */
export type EventSchemaMap = { [id: string]: ZodType | undefined };

/** The `schemas` constructor option: typed commands and events. */
export interface RegistrySchemas<C extends CommandSchemaMap = CommandSchemaMap, E extends EventSchemaMap = EventSchemaMap> {
  commands?: C;
  events?: E;
}

/** Declares commands with zod schemas; returns the map unchanged, with its literal types kept. */
export function defineCommands<const C extends CommandSchemaMap>(commands: C): C {
  return commands;
}

/** Declares events with zod payload schemas; returns the map unchanged, with its literal types kept. */
export function defineEvents<const E extends EventSchemaMap>(events: E): E {
  return events;
}

/** True when the map has a string index (an untyped registry) rather than literal ids. */
type IsUntyped<M> = string extends keyof M ? true : false;

/** Command ids a registry typed with `C` accepts. */
export type CommandId<C> = IsUntyped<C> extends true ? string : Extract<keyof C, string>;

/** Event ids a registry typed with `E` accepts. */
export type EventId<E> = IsUntyped<E> extends true ? string : Extract<keyof E, string>;

/** What a caller passes as the request of command `K`. */
export type RequestInput<C, K> = IsUntyped<C> extends true
  ? unknown
  : K extends keyof C
    ? C[K] extends { request: infer S extends ZodType }
      ? z.input<S>
      : undefined
    : never;

/** What the handler of command `K` receives (after zod parsing). */
export type RequestOutput<C, K> = IsUntyped<C> extends true
  ? unknown
  : K extends keyof C
    ? C[K] extends { request: infer S extends ZodType }
      ? z.output<S>
      : undefined
    : never;

/** What a caller gets back from command `K`. */
export type ResultOf<C, K> = IsUntyped<C> extends true
  ? unknown
  : K extends keyof C
    ? C[K] extends { response: infer S extends ZodType }
      ? z.output<S>
      : void
    : never;

/** What the handler of command `K` returns. */
export type HandlerResult<C, K> = IsUntyped<C> extends true
  ? unknown
  : K extends keyof C
    ? C[K] extends { response: infer S extends ZodType }
      ? z.input<S>
      : void
    : never;

/**
 * The handler type of command `K`. On a typed registry it comes from `schemas`; on an untyped one from the
 * `schema` passed to `registerCommand`, else the handler may annotate its own request type.
 */
export type HandlerOf<C, K, S> = IsUntyped<C> extends true
  ? CommandHandlerFn<
      S extends { request: infer R extends ZodType } ? z.output<R> : unknown,
      S extends { response: infer R extends ZodType } ? z.input<R> : unknown
    >
  : CommandHandlerFn<RequestOutput<C, K>, HandlerResult<C, K>>;

/**
 * A handler function. Declared through a method so that, on an untyped registry, a handler that
 * annotates its own request type (`(req: { a: number }) => …`) is accepted without a cast.
 */
export type CommandHandlerFn<Req, Res> = {
  handle(request: Req, context: CommandContext): Res | Promise<Res>;
}['handle'];

/** The payload type of event `K`. */
export type PayloadOf<E, K> = IsUntyped<E> extends true
  ? unknown
  : K extends keyof E
    ? E[K] extends ZodType
      ? z.output<E[K]>
      : undefined
    : never;

/**
 * Converts a zod schema to JSON Schema (draft 2020-12) with zod's own converter.
 * zod-to-json-schema returns an empty schema for zod v4 schemas, so it is not used.
 * Parts JSON Schema cannot express (transforms, dates) become `{}` rather than failing registration.
 */
export function toJsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
}

/** Builds the advertised definition of a command from its id and optional zod schemas. */
export function buildCommandDef(id: string, description: string | undefined, schema: CommandSchema | undefined): CommandDef {
  const def: CommandDef = { id };
  if (description !== undefined) def.description = description;
  if (schema?.request || schema?.response) {
    def.schema = {};
    if (schema.request) def.schema.request = toJsonSchema(schema.request, 'input');
    if (schema.response) def.schema.response = toJsonSchema(schema.response, 'output');
  }
  return def;
}
