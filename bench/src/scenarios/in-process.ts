import { CommandRegistry } from 'cmd-ipc';
import { z } from 'zod';
import { compareModes } from '../harness/compare.js';
import { measurePaths } from '../harness/measure.js';
import { ECHO_REQUEST, type EchoRequest } from '../harness/payload.js';
import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';

/** The function every path ends in; the floor calls it directly. */
async function echo(request: EchoRequest): Promise<EchoRequest> {
  return request;
}

const EchoSchema = z.object({ a: z.number(), b: z.number() });

/** In-process: a plain async call (the floor) vs executeCommand on a local command, without and with zod validation. */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const registry = new CommandRegistry({ id: 'bench' });
  try {
    await registry.registerCommand('bench.echo', (request: unknown) => echo(request as EchoRequest));
    await registry.registerCommand('bench.echo.zod', (request: unknown) => echo(request as EchoRequest), { schema: { request: EchoSchema } });
    const floor = { label: 'plain async function', call: () => echo(ECHO_REQUEST) };
    const plain = { label: 'executeCommand', call: () => registry.executeCommand('bench.echo', ECHO_REQUEST) };
    const validated = { label: 'executeCommand + zod validation', call: () => registry.executeCommand('bench.echo.zod', ECHO_REQUEST) };
    const [floorStats, plainStats, validatedStats] = await measurePaths([floor, plain, validated], context.budget, context.progress);
    return {
      status: 'ok',
      comparisons: [
        ...compareModes('in-process', { floor: floor.label, ours: plain.label }, floorStats!, plainStats!, context.budget),
        ...compareModes('in-process, zod', { floor: floor.label, ours: validated.label }, floorStats!, validatedStats!, context.budget, {
          minRatio: 0.5,
          label: '≥ 0.5× plain async',
          modes: 'both',
        }),
      ],
      note: 'One process. Floor: await echo({a:1,b:2}), an async function. Ours: await executeCommand on a local command whose handler calls the same function; the zod path validates the request with z.object({a, b}) first.',
    };
  } finally {
    await registry.dispose();
  }
}
