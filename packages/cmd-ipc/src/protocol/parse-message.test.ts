import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, ProtocolError } from './parse-message.js';
import { strictMessageSchema } from './schemas.js';

const id = fc.string({ minLength: 1, maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 3 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 4 });
const commandDef = fc.record(
  { id, description: fc.string(), schema: fc.record({ request: jsonObject, response: jsonObject }, { requiredKeys: [] }) },
  { requiredKeys: ['id'] },
);
const code = fc.constantFrom('not_found', 'invalid_request', 'internal_error', 'timeout', 'channel_disconnected');

/** Arbitrary well-formed strict v1 messages of every type. */
const validMessage = fc.oneof(
  fc.record({ id, type: fc.constant('register.command.request'), command: commandDef }),
  fc.record({ id, type: fc.constant('register.command.response'), thid: id, response: fc.constantFrom({ ok: true }, { ok: false, error: 'duplicate_command' }) }),
  fc.record({ id, type: fc.constant('list.commands.request') }),
  fc.record({ id, type: fc.constant('list.commands.response'), thid: id, commands: fc.array(commandDef, { maxLength: 3 }) }),
  fc.record({ id, type: fc.constant('execute.command.request'), commandId: id, request: jsonObject }, { requiredKeys: ['id', 'type', 'commandId'] }),
  fc.record({
    id,
    type: fc.constant('execute.command.response'),
    thid: id,
    response: fc.oneof(
      fc.record({ ok: fc.constant(true), result: json }, { requiredKeys: ['ok'] }),
      fc.record({ ok: fc.constant(false), error: fc.record({ code, message: fc.string() }) }),
    ),
  }),
  fc.record({ id, type: fc.constant('event'), eventId: id, payload: json }, { requiredKeys: ['id', 'type', 'eventId'] }),
);

/** Valid messages with one part broken, to exercise every error path. */
const mutated = fc.tuple(validMessage, fc.string({ maxLength: 10 }), fc.anything()).map(([message, key, value]) => {
  const copy: Record<string, unknown> = { ...(message as Record<string, unknown>) };
  const keys = Object.keys(copy);
  copy[keys.includes(key) ? key : (keys[key.length % keys.length] ?? 'id')] = value;
  return copy;
});

describe('parseMessage', () => {
  it('accepts every well-formed strict v1 message and returns it unchanged', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        expect(parseMessage(message, { strict: true })).toEqual(message);
        expect(parseMessage(message)).toEqual(message);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but ProtocolError, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withMap: true, withBigInt: true }), mutated), (value) => {
        for (const strict of [false, true]) {
          try {
            parseMessage(value, { strict });
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
            expect((error as ProtocolError).message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('survives hostile objects: throwing getters and proxies', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    expect(() => parseMessage(hostile)).toThrow(ProtocolError);
    const getter = Object.defineProperty({ type: 'event' }, 'id', { get: () => { throw new Error('boom'); }, enumerable: true });
    expect(() => parseMessage(getter)).toThrow(ProtocolError);
  });

  it('agrees with the zod schemas of PROTOCOL.md in strict mode', () => {
    fc.assert(
      fc.property(fc.oneof(validMessage, mutated), (value) => {
        const byZod = strictMessageSchema.safeParse(value).success;
        let byParser = true;
        try {
          parseMessage(value, { strict: true });
        } catch {
          byParser = false;
        }
        expect(byParser).toBe(byZod);
      }),
      { numRuns: 2000 },
    );
  });

  it('names what is wrong', () => {
    expect(() => parseMessage({ id: 'x', type: 'execute.command.request', commandId: 7 })).toThrow(
      'execute.command.request x: "commandId" must be a non-empty string, got number',
    );
    expect(() => parseMessage({ id: 'x', type: 'event', eventId: 'e', extra: 1 }, { strict: true })).toThrow(/unexpected key "extra"/);
    expect(() => parseMessage({ id: 'x', type: 'execute.command.request', commandId: 'c', request: null }, { strict: true })).toThrow(/null/);
    expect(() => parseMessage([])).toThrow('message must be a JSON object, got an array');
    const error = (() => {
      try {
        parseMessage({ id: 'r1', type: 'execute.command.request' });
      } catch (e) {
        return e as ProtocolError;
      }
    })();
    expect(error?.messageId).toBe('r1');
    expect(error?.messageType).toBe('execute.command.request');
  });

  it('reads null in place of an optional value as absent (lenient mode) and keeps meta', () => {
    expect(parseMessage({ id: 'a', type: 'execute.command.request', commandId: 'c', request: null, meta: { caller: 'x/y', hint: 1 } })).toEqual({
      id: 'a',
      type: 'execute.command.request',
      commandId: 'c',
      meta: { caller: 'x/y', hint: 1 },
    });
    expect(() => parseMessage({ id: 'a', type: 'event', eventId: 'e', meta: { deadline: 'soon' } })).toThrow(/meta.deadline/);
  });
});
