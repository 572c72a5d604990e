/** What a demo node process is told through its environment. */
export interface NodeConfig {
  /** The identity it authenticates to the hub as (and its registry id). */
  identity: string;
  /** The hub: ws://… or tcp://…. */
  url: string;
  /** Where it may keep files (the actor node's chains). */
  dataDir?: string;
}

/** The environment variable holding the JSON config. */
export const NODE_CONFIG_ENV = 'DEMO_NODE_CONFIG';

/** The event every node emits once it is linked and its commands are registered. */
export const NODE_READY_EVENT = 'demo.node.ready';

/** The payload of `demo.node.ready`. */
export interface NodeReady {
  node: string;
  pid: number;
  commands: number;
  /** For the actor node: the actors it started. */
  actors?: { echo: { actorId: string; port: number }; counter: { actorId: string } };
}

/** Reads the config; exits with a message when it is missing, since a node cannot run without it. */
export function readNodeConfig(): NodeConfig {
  const text = process.env[NODE_CONFIG_ENV];
  if (!text) {
    console.error(`${NODE_CONFIG_ENV} is not set: demo nodes are started by the demo (npm run demo)`);
    process.exit(2);
  }
  return JSON.parse(text) as NodeConfig;
}
