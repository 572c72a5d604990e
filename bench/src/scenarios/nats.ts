import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { oursNats, rawNats } from '../transports/nats.js';
import { runTransportScenario } from './transport-scenario.js';

/** NATS: pub/sub echo through nats-server vs executeCommand over NatsClient → NatsHub. */
export function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const url = context.natsUrl;
  if (url === undefined) throw new Error('the NATS scenario needs the nats-server the runner starts');
  return runTransportScenario(
    context,
    'NATS',
    { raw: () => rawNats(url), ours: () => oursNats(url) },
    'Through a local nats-server, peer in another process. Floor: publish JSON on one subject, the peer publishes it back on another, integer id map. Ours: executeCommand over NatsClient → NatsHub sessions.',
  );
}
