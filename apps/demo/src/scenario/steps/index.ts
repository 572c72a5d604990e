import type { Step } from '../context.js';
import { chainVerified } from './chain.js';
import { cliSeesTheMesh } from './cli.js';
import { commandsTable } from './commands-table.js';
import { counterState } from './counter.js';
import { eventsFromEveryNode } from './events.js';
import { meshRecovers, nodeDies } from './node-failure.js';
import { startActorNode, startHub, startTcpNode } from './start-mesh.js';
import { tcpEcho } from './tcp-echo.js';

/** The scenario, in order. */
export const SCENARIO: readonly Step[] = [
  startHub,
  startTcpNode,
  startActorNode,
  commandsTable,
  tcpEcho,
  counterState,
  eventsFromEveryNode,
  chainVerified,
  nodeDies,
  meshRecovers,
  cliSeesTheMesh,
];
