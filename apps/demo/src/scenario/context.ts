import type { CommandRegistry } from 'cmd-ipc';
import type { HubProcess } from '../mesh/hub-process.js';
import type { NodeProcess } from '../mesh/node-process.js';
import type { ProcessGroup } from '../mesh/process-group.js';
import type { LinkedNode } from '../nodes/link-to-hub.js';
import type { EchoClient } from './echo-client.js';

/** The demo's own identity in the mesh; the `cli-` prefix makes the hub show it as a client, not a node. */
export const CONTROLLER_IDENTITY = 'cli-demo';

/** Everything the steps share: the processes, the demo's own link to the hub, what earlier steps found. */
export class DemoContext {
  hub: HubProcess | undefined;
  controller: LinkedNode | undefined;
  tcpNode: NodeProcess | undefined;
  actorNode: NodeProcess | undefined;
  /** A TCP client left open on the echo actor, to see what happens to it when the actor's node dies. */
  lingeringClient: EchoClient | undefined;
  /** Every event that reached the demo's own registry, as it arrived. */
  readonly liveEvents: string[] = [];

  constructor(
    readonly group: ProcessGroup,
    readonly secret: string,
    readonly dataDir: string,
    readonly stepTimeoutMs: number,
  ) {}

  /** The demo's registry, linked to the hub (from step 1 on). */
  get registry(): CommandRegistry {
    if (!this.controller) throw new Error('the demo is not linked to the hub (step 1 did not run)');
    return this.controller.registry;
  }

  /** The hub (from step 1 on). */
  get hubProcess(): HubProcess {
    if (!this.hub) throw new Error('the hub is not running (step 1 did not run)');
    return this.hub;
  }

  /** The actor node (from step 3 on). */
  get actors(): NonNullable<NodeProcess['ready']['actors']> {
    const actors = this.actorNode?.ready.actors;
    if (!actors) throw new Error('the actor node is not running (step 3 did not run)');
    return actors;
  }

  /** Closes the demo's link to the hub and stops every child process. */
  async shutdown(): Promise<void> {
    this.lingeringClient?.socket.destroy();
    await this.controller?.close().catch(() => {});
    await this.group.stopAll();
  }
}

/** One step of the scenario. */
export interface Step {
  title: string;
  /** This step may take this many times the per-step timeout (starting a node compiles WebAssembly). Default 1. */
  timeoutFactor?: number;
  /** Does the step; `say` narrates. Throws (with a message naming what was wrong) when it did not do what it says. */
  run(context: DemoContext, say: (text: string) => void, signal: AbortSignal): Promise<void>;
}
