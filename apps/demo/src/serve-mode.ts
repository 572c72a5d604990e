import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cmdIpcCli } from './mesh/locate.js';
import type { Narrator } from './narrate/narrator.js';
import type { DemoContext } from './scenario/context.js';
import { connectEchoClient, type EchoClient } from './scenario/echo-client.js';

/** How often `--serve` sends a little traffic through the mesh, so the live page has something to show. */
const TRAFFIC_EVERY_MS = 2000;

/**
 * `--serve`: after the scenario, keeps the mesh running until Ctrl-C, prints how to look at it (the
 * live page, the CLI with the secret in a private file), and every two seconds sends a line through
 * the echo actor and adds one to the counter.
 */
export async function keepServing(context: DemoContext, narrator: Narrator, stopped: Promise<string>): Promise<void> {
  const urls = context.hubProcess.urls;
  const secretFile = join(context.dataDir, 'secret');
  writeFileSync(secretFile, `${context.secret}\n`, { mode: 0o600 });
  const cli = relative(process.cwd(), cmdIpcCli().script) || cmdIpcCli().script;
  narrator.line();
  narrator.line('The mesh keeps running (--serve). Ctrl-C stops it.');
  narrator.line(`  live view  ${urls.liveView}`);
  narrator.line(`  CLI        CMD_IPC_SECRET_FILE=${secretFile} node ${cli} list --url ${urls.ws}`);
  narrator.line(`             (also: nodes, describe <id>, exec <id> '<json>', watch [prefix])`);
  narrator.line(`  traffic    every ${TRAFFIC_EVERY_MS / 1000} s a line goes through the echo actor, the counter counts up, and event demo.tick says so`);

  let client: EchoClient | undefined;
  let clientPort = 0;
  let tick = 0;
  let warned = false;
  const timer = setInterval(() => {
    void (async () => {
      const actors = context.actorNode?.ready.actors;
      if (!actors) return;
      tick++;
      if (!client || clientPort !== actors.echo.port || client.socket.destroyed) {
        client?.socket.destroy();
        client = await connectEchoClient(actors.echo.port, 5000);
        clientPort = actors.echo.port;
      }
      client.socket.write(`tick ${tick}\n`);
      const count = await context.registry.executeCommand(`actor.${actors.counter.actorId}.increment`, { by: 1 });
      context.registry.emitEvent('demo.tick', { tick, count });
    })().catch((error: unknown) => {
      if (warned) return;
      warned = true;
      narrator.line(`  (traffic paused: ${(error as Error).message})`);
    });
  }, TRAFFIC_EVERY_MS);
  const signal = await stopped;
  clearInterval(timer);
  client?.socket.destroy();
  narrator.line(`\n${signal}: stopping the mesh`);
}
