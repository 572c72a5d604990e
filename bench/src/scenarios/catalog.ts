import type { ScenarioModule } from '../harness/scenario.js';

/** A scenario the runner can start, in its own process. */
export interface ScenarioEntry {
  id: string;
  title: string;
  /** Starts a nats-server for it. */
  needsNats?: boolean;
  load(): Promise<ScenarioModule>;
}

/** Every scenario, in the order they run. */
export const SCENARIOS: readonly ScenarioEntry[] = [
  { id: 'in-process', title: 'In-process: plain async call vs executeCommand', load: () => import('./in-process.js') },
  { id: 'worker', title: 'Worker thread: postMessage echo vs executeCommand', load: () => import('./worker.js') },
  { id: 'child-process', title: 'Child process (fork IPC, JSON): process.send echo vs executeCommand', load: () => import('./child-process.js') },
  { id: 'websocket', title: 'WebSocket: ws echo vs executeCommand', load: () => import('./websocket.js') },
  { id: 'tcp', title: 'TCP: length-prefixed net echo vs executeCommand', load: () => import('./tcp.js') },
  { id: 'nats', title: 'NATS: pub/sub echo vs executeCommand', needsNats: true, load: () => import('./nats.js') },
  { id: 'hub', title: 'Through the hub (WebSocket): client → hub → owner vs direct', load: () => import('./hub.js') },
  { id: 'events', title: 'Events: 1 emitter → 3 subscriber processes', load: () => import('./events.js') },
  { id: 'tcp-handler', title: 'TCP handler: echo through tcp.* commands vs raw net', load: () => import('./tcp-handler.js') },
  { id: 'actors', title: 'Actors: calls into one actor, spawn time', load: () => import('./actors.js') },
  { id: 'memory', title: 'Memory: RSS across 1,000,000 calls over WebSocket', load: () => import('./memory.js') },
];

/**
 * The scenarios whose id contains one of the patterns (comma-separated lists are split), or all of
 * them when no pattern is given.
 */
export function selectScenarios(patterns: readonly string[]): ScenarioEntry[] {
  const wanted = patterns.flatMap((pattern) => pattern.split(',')).map((pattern) => pattern.trim()).filter((pattern) => pattern.length > 0);
  if (wanted.length === 0) return [...SCENARIOS];
  return SCENARIOS.filter((scenario) => wanted.some((pattern) => scenario.id.includes(pattern)));
}

/** The scenario with this exact id. */
export function findScenario(id: string): ScenarioEntry {
  const entry = SCENARIOS.find((scenario) => scenario.id === id);
  if (entry === undefined) throw new Error(`no bench scenario with id "${id}"`);
  return entry;
}
