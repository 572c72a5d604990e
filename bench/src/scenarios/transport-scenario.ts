import { compareModes } from '../harness/compare.js';
import { measurePaths } from '../harness/measure.js';
import { type Endpoint, type ScenarioContext, type ScenarioOutcome, closeAll } from '../harness/scenario.js';

/** The target every transport is reported against: 64 in flight, at least 90% of the raw echo. */
export const TRANSPORT_TARGET = { minRatio: 0.9, label: '≥ 0.9× raw echo', modes: 'concurrent' as const };

/**
 * Measures executeCommand across one transport against a raw echo over the same transport. Both
 * peers are started first and stay up, so the phases can alternate between them.
 */
export async function runTransportScenario(
  context: ScenarioContext,
  name: string,
  start: { raw: () => Promise<Endpoint>; ours: () => Promise<Endpoint> },
  note: string,
): Promise<ScenarioOutcome> {
  const endpoints: Endpoint[] = [];
  try {
    context.progress('starting the raw echo peer');
    const raw = await start.raw();
    endpoints.push(raw);
    context.progress('starting the registry peer');
    const ours = await start.ours();
    endpoints.push(ours);
    const [floor, measured] = await measurePaths([raw, ours], context.budget, context.progress);
    return {
      status: 'ok',
      comparisons: compareModes(name, { floor: raw.label, ours: ours.label }, floor!, measured!, context.budget, TRANSPORT_TARGET),
      note,
    };
  } finally {
    await closeAll(endpoints);
  }
}
