import { expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCommands } from '../schema/define.js';
import { CommandRegistry } from './command-registry.js';
import type { RegistryPort } from './types.js';

it('an untyped CommandRegistry is a RegistryPort, and a typed one gives one through .untyped', async () => {
  const typed = new CommandRegistry({ id: 't', schemas: { commands: defineCommands({ 'a.b': { request: z.object({ n: z.number() }) } }) } });
  const untyped = new CommandRegistry({ id: 'u' });
  expectTypeOf(untyped).toMatchTypeOf<RegistryPort>();
  const port: RegistryPort = typed.untyped;
  await port.registerCommand('a.b', (request) => request);
  expect(await port.executeCommand('a.b', { n: 1 })).toEqual({ n: 1 });
  await Promise.all([typed.dispose(), untyped.dispose()]);
});
