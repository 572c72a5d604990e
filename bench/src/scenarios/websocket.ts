import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { oursWebSocket, rawWebSocket } from '../transports/websocket.js';
import { runTransportScenario } from './transport-scenario.js';

/** WebSocket: ws echo vs executeCommand over WebSocketClient → WebSocketHub. */
export function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  return runTransportScenario(
    context,
    'WebSocket',
    { raw: rawWebSocket, ours: oursWebSocket },
    'Peer in another process on 127.0.0.1. Floor: ws client/server, JSON text frames {id, request} echoed back. Ours: executeCommand over WebSocketClient → WebSocketHub (authenticated, heartbeats on).',
  );
}
