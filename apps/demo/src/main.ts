import { Worker } from 'node:worker_threads';
import { CommandRegistry, WorkerChannel } from 'cmd-ipc';

/** The interim demo: a root registry and two child registries in worker threads, linked by real MessagePorts. */
async function main(): Promise<void> {
  const steps: Array<[string, () => Promise<string>]> = [];
  const root = new CommandRegistry({ id: 'root' });
  const workers = ['alpha', 'beta'].map((name) => ({ name, worker: new Worker(new URL('./worker-node.js', import.meta.url), { workerData: { name } }) }));
  const ready = workers.map(({ name }) => root.waitForCommand(`${name}.ask`, { timeoutMs: 10_000 }));

  steps.push(['start two worker threads and link them to the root', async () => {
    for (const { name, worker } of workers) await root.registerChannel(new WorkerChannel(worker, { id: name }));
    await Promise.all(ready);
    return root.listCommands().map((c) => `${c.id} (owner: ${c.owner})`).join(', ');
  }]);
  steps.push(['alpha calls beta across threads, through the root', async () => {
    return String(await root.executeCommand('alpha.ask', { peer: 'beta', question: 'who is asking?' }));
  }]);
  steps.push(['a bad request is refused with invalid_request by the owner', async () => {
    const error = await root.executeCommand('beta.describe', { question: 42 }).then(() => undefined, (e: Error & { code: string }) => e);
    if (!error || error.code !== 'invalid_request') throw new Error('expected invalid_request');
    return `${error.code}: ${error.message.split('\n')[0]}`;
  }]);
  steps.push(['an event from the root reaches every node', async () => {
    const seen = new Set<string>();
    const both = new Promise<void>((resolve) => root.addEventListener('demo.seen', (p) => { seen.add((p as { node: string }).node); if (seen.size === 2) resolve(); }));
    root.emitEvent('demo.broadcast', { hello: 'mesh' });
    await Promise.race([both, new Promise((_, reject) => setTimeout(() => reject(new Error('events did not arrive')), 5000))]);
    return `seen by ${[...seen].sort().join(' and ')}`;
  }]);
  steps.push(['a worker crashes: its commands vanish and calls fail fast', async () => {
    const beta = workers[1]!.worker;
    const closed = root.once('cmd-ipc.channel.closed', { timeoutMs: 5000 });
    await beta.terminate();
    const info = await closed;
    const error = await root.executeCommand('beta.describe', { question: 'still there?' }).then(() => undefined, (e: Error & { code: string }) => e);
    return `channel ${info.channelId} closed; beta.describe → ${error?.code}`;
  }]);

  let failed = false;
  for (const [index, [title, run]] of steps.entries()) {
    process.stdout.write(`[${index + 1}/${steps.length}] ${title} … `);
    try {
      console.log(`ok\n      ${await run()}`);
    } catch (error) {
      failed = true;
      console.log(`FAILED\n      ${(error as Error).message}`);
      break;
    }
  }
  await root.dispose();
  console.log(failed ? 'demo failed' : 'demo finished: every step did what it said');
  process.exitCode = failed ? 1 : 0;
}

await main();
