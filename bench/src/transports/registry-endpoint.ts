import type { CommandRegistry } from 'cmd-ipc';
import { ECHO_COMMAND, ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';

/**
 * The "ours" endpoint over any transport: `executeCommand` of the echo command on a registry already
 * linked to the peer that serves it. Waits (bounded) until the peer's command is known.
 */
export async function registryEndpoint(label: string, registry: CommandRegistry, stop: () => Promise<void>): Promise<Endpoint> {
  await registry.waitForCommand(ECHO_COMMAND, { timeoutMs: 15_000 });
  return {
    label,
    call: () => registry.executeCommand(ECHO_COMMAND, ECHO_REQUEST),
    close: async () => {
      await registry.dispose();
      await stop();
    },
  };
}
