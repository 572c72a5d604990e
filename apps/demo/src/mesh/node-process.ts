import type { CommandRegistry } from 'cmd-ipc';
import { NODE_CONFIG_ENV, NODE_READY_EVENT, type NodeConfig, type NodeReady } from '../nodes/node-config.js';
import { demoNode } from './locate.js';
import type { ManagedProcess, ProcessGroup } from './process-group.js';

/** A started node child and what it announced. */
export interface NodeProcess {
  process: ManagedProcess;
  ready: NodeReady;
}

/**
 * Starts one of the demo's node programs and waits for its `demo.node.ready` event, which reaches
 * `observer` (the demo's own registry, linked to the hub) only after the node is linked and its
 * commands are registered mesh-wide.
 */
export async function startNodeProcess(
  group: ProcessGroup,
  observer: CommandRegistry,
  program: 'tcp-node' | 'actor-node',
  config: NodeConfig,
  secret: string,
  timeoutMs: number,
): Promise<NodeProcess> {
  const { script, nodeArgs } = demoNode(program);
  let stop: () => void = () => {};
  const ready = new Promise<NodeReady>((resolve) => {
    stop = observer.addEventListener(NODE_READY_EVENT, (payload) => {
      const announced = payload as NodeReady;
      if (announced.node === config.identity) resolve(announced);
    });
  });
  const child = group.start(config.identity, process.execPath, [...nodeArgs, script], {
    env: { ...process.env, CMD_IPC_SECRET: secret, [NODE_CONFIG_ENV]: JSON.stringify(config) },
    ipc: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    const said = (): string => (child.recent.length === 0 ? 'it printed nothing' : `its last lines: ${child.recent.slice(-5).join(' | ')}`);
    timer = setTimeout(() => reject(new Error(`${config.identity} did not announce itself within ${timeoutMs} ms; ${said()}`)), timeoutMs);
    void child.exited.then(({ code, signal }) => reject(new Error(`${config.identity} exited while starting (code ${code}, signal ${signal}); ${said()}`)));
  });
  try {
    return { process: child, ready: await Promise.race([ready, failed]) };
  } finally {
    clearTimeout(timer);
    stop();
  }
}
