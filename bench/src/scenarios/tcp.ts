import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { oursTcp, rawTcp } from '../transports/tcp.js';
import { runTransportScenario } from './transport-scenario.js';

/** TCP: length-prefixed JSON net echo vs executeCommand over TcpClient → TcpHub. */
export function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  return runTransportScenario(
    context,
    'TCP',
    { raw: rawTcp, ours: oursTcp },
    'Peer in another process on 127.0.0.1, TCP_NODELAY on both. Floor: net socket, 4-byte length + JSON frames echoed back. Ours: executeCommand over TcpClient → TcpHub (same framing, authenticated, heartbeats on).',
  );
}
