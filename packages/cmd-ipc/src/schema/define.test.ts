import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { CommandRegistry } from '../registry/command-registry.js';
import { buildCommandDef, defineCommands, defineEvents } from './define.js';

const commands = defineCommands({
  'math.add': {
    description: 'adds two numbers',
    request: z.object({ a: z.number(), b: z.number() }),
    response: z.number(),
  },
  'user.get': { request: z.object({ id: z.string() }), response: z.object({ id: z.string(), name: z.string() }) },
  'system.ping': {},
});
const events = defineEvents({ 'user.updated': z.object({ userId: z.number() }), 'system.tick': undefined });

let registry: CommandRegistry<typeof commands, typeof events>;
afterEach(async () => {
  await registry.dispose();
});

describe('schemas in the constructor', () => {
  it('infer request, handler and result types, and reject wrong ids and shapes at compile time', async () => {
    registry = new CommandRegistry({ id: 'typed', schemas: { commands, events } });
    await registry.registerCommand('math.add', ({ a, b }) => {
      expectTypeOf(a).toEqualTypeOf<number>();
      return a + b;
    });
    await registry.registerCommand('user.get', ({ id }) => ({ id, name: 'Ada' }));
    await registry.registerCommand('system.ping', () => undefined);
    const sum = await registry.executeCommand('math.add', { a: 1, b: 2 });
    expectTypeOf(sum).toEqualTypeOf<number>();
    expect(sum).toBe(3);
    const user = await registry.executeCommand('user.get', { id: 'u1' });
    expectTypeOf(user).toEqualTypeOf<{ id: string; name: string }>();
    await registry.executeCommand('system.ping');

    // Each line below must fail to compile; `tsc --noEmit` (the lint step) fails if one ever compiles.
    // @ts-expect-error unknown command id
    await expect(registry.executeCommand('math.sub', { a: 1, b: 2 })).rejects.toMatchObject({ code: 'not_found' });
    // @ts-expect-error wrong request shape
    await expect(registry.executeCommand('math.add', { a: '1', b: 2 })).rejects.toMatchObject({ code: 'invalid_request' });
    // @ts-expect-error missing request
    await expect(registry.executeCommand('math.add')).rejects.toMatchObject({ code: 'invalid_request' });
    // @ts-expect-error handler returns the wrong type
    await expect(registry.registerCommand('user.get', () => 42)).rejects.toMatchObject({ code: 'duplicate_command' });

    const got = registry.once('user.updated');
    registry.emitEvent('user.updated', { userId: 7 });
    expectTypeOf(await got).toEqualTypeOf<{ userId: number }>();
    registry.emitEvent('system.tick');
    // @ts-expect-error wrong payload type
    expect(() => registry.emitEvent('user.updated', { userId: 'x' })).toThrow(/invalid payload for event user.updated/);
  });

  it('advertises JSON Schema (draft 2020-12) computed once at registration', async () => {
    registry = new CommandRegistry({ id: 'typed', schemas: { commands, events } });
    await registry.registerCommand('math.add', ({ a, b }) => a + b);
    const [info] = registry.listCommands();
    expect(info).toMatchObject({
      id: 'math.add',
      description: 'adds two numbers',
      owner: 'local',
      schema: {
        request: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
        response: { type: 'number' },
      },
    });
    expect(registry.listCommands()[0]!.schema).toEqual(info!.schema);
  });

  it('on an untyped registry, the handler type comes from the schema passed to registerCommand', async () => {
    const untyped = new CommandRegistry({ id: 'untyped' });
    await untyped.registerCommand(
      'greet',
      ({ name }) => {
        expectTypeOf(name).toEqualTypeOf<string>();
        return `hi ${name}`;
      },
      { schema: { request: z.object({ name: z.string() }), response: z.string() } },
    );
    await untyped.registerCommand('annotated', (req: { n: number }) => req.n * 2);
    expect(await untyped.executeCommand('greet', { name: 'Ada' })).toBe('hi Ada');
    expect(await untyped.executeCommand('annotated', { n: 4 })).toBe(8);
    await untyped.dispose();
    registry = new CommandRegistry({ id: 'unused' });
  });

  it('a schema JSON Schema cannot express still registers (the part becomes {})', () => {
    const def = buildCommandDef('dates', undefined, { request: z.object({ when: z.date() }) });
    expect(def.schema?.request).toMatchObject({ type: 'object', properties: { when: {} } });
  });
});
