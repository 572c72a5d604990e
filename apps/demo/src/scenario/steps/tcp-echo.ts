import { connectEchoClient } from '../echo-client.js';
import type { Step } from '../context.js';
import { check } from '../hub-queries.js';

/**
 * Step: real TCP clients talk to the WebAssembly echo actor. Each chunk goes socket (tcp-node) →
 * `actor.<id>.tcp.on-data` (through the hub to actor-node) → wasm → `tcp.send` (back through the
 * hub to tcp-node) → socket.
 */
export const tcpEcho: Step = {
  title: 'A real TCP client talks to the WebAssembly echo actor, through tcp.* commands across processes',
  async run(context, say) {
    const { echo } = context.actors;
    const ms = context.stepTimeoutMs;
    const first = await connectEchoClient(echo.port, ms);
    const second = await connectEchoClient(echo.port, ms);
    try {
      say(`two TCP clients connected to 127.0.0.1:${echo.port} (a socket of tcp-node, owned by the actor)`);
      first.socket.write('hello, actor\n');
      second.socket.write('hi from the second client\n');
      await first.until('hello, actor\n', ms);
      await second.until('hi from the second client\n', ms);
      say(`client 1 sent "hello, actor"              → got back ${JSON.stringify(first.received())}`);
      say(`client 2 sent "hi from the second client" → got back ${JSON.stringify(second.received())}`);
      for (let i = 1; i <= 5; i++) first.socket.write(`line ${i}\n`);
      await first.until('line 5\n', ms);
      const expected = `hello, actor\n${[1, 2, 3, 4, 5].map((i) => `line ${i}\n`).join('')}`;
      check(first.received() === expected, `client 1 got ${JSON.stringify(first.received())}, expected ${JSON.stringify(expected)}`);
      say('client 1 sent 5 more lines → all 5 came back, in order');
      const stats = (await context.registry.executeCommand(`actor.${echo.actorId}.stats`, {})) as { connections: number; echoed: number };
      const bytes = Buffer.byteLength(first.received()) + Buffer.byteLength(second.received());
      check(stats.echoed === bytes, `the actor says it echoed ${stats.echoed} bytes; the clients received ${bytes}`);
      say(`the actor's own count (actor.${echo.actorId}.stats): ${stats.connections} connections, ${stats.echoed} bytes echoed`);
      say('path of each chunk: socket → tcp-node → hub → actor-node (wasm on-data) → tcp.send → hub → tcp-node → socket');
    } finally {
      second.socket.destroy();
    }
    // Kept open on purpose: step "a node dies" shows what becomes of it.
    context.lingeringClient = first;
  },
};
