import type { Step } from '../context.js';
import { check, countBy } from '../hub-queries.js';

interface ChainEvent {
  type: string;
  hash: string;
  parent: string | null;
  data: unknown;
}

/** Step: the echo actor's event chain: every host call and export call, hash-linked, verified. */
export const chainVerified: Step = {
  title: "The echo actor's event chain: every call it made or served, hash-linked and verified",
  async run(context, say) {
    const { echo } = context.actors;
    const { events } = (await context.registry.executeCommand('theater.chain', { actorId: echo.actorId })) as { events: ChainEvent[] };
    const hostCalls = events.filter((event) => event.type === 'host.call').map((event) => (event.data as { function?: string }).function ?? '?');
    check(hostCalls.includes('listen'), 'the chain has no host call to listen');
    check(hostCalls.includes('send'), 'the chain has no host call to send');
    const types = countBy(events, (event) => event.type);
    say(`${events.length} events: ${[...types].map(([type, count]) => `${type} ×${count}`).join(', ')}`);
    say(`host calls in order: ${summarizeRuns(hostCalls)}`);
    const verdict = (await context.registry.executeCommand('theater.verify', { actorId: echo.actorId })) as { ok: boolean; length: number; head?: string; message?: string };
    check(verdict.ok, `theater.verify says the chain is broken: ${JSON.stringify(verdict)}`);
    check(verdict.length === events.length, `theater.verify checked ${verdict.length} events, the chain has ${events.length}`);
    const head = events.at(-1)?.hash ?? '';
    say(`theater.verify → ok: all ${verdict.length} hashes and parent links recomputed; head ${head.slice(0, 16)}…`);
  },
};

/** "self, listen, activate ×2, send ×7" from a list of names, keeping runs together. */
function summarizeRuns(names: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const name of names) {
    const last = runs.at(-1);
    if (last && last[0] === name) last[1]++;
    else runs.push([name, 1]);
  }
  return runs.map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
}
