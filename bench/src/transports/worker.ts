import { CommandRegistry, WorkerChannel } from 'cmd-ipc';
import type { Worker } from 'node:worker_threads';
import { ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';
import { startWorker } from '../process/children.js';
import { PendingCalls, type RawReply } from '../raw/pending-calls.js';
import { registryEndpoint } from './registry-endpoint.js';

const PEER = 'peers/worker-echo';

async function terminate(worker: Worker): Promise<void> {
  await worker.terminate();
}

/** Floor: postMessage to a worker thread that posts the request back, matched by an integer id. */
export async function rawWorker(): Promise<Endpoint> {
  const worker = startWorker(PEER, { mode: 'raw' });
  const pending = new PendingCalls();
  worker.on('message', (reply: RawReply) => pending.settle(reply));
  await new Promise<void>((resolve, reject) => {
    worker.once('online', () => resolve());
    worker.once('error', reject);
  });
  return {
    label: 'postMessage echo',
    call: () => pending.call(ECHO_REQUEST, (message) => worker.postMessage(message)),
    close: () => terminate(worker),
  };
}

/** Ours: executeCommand into a child registry in a worker thread, over WorkerChannel/ParentPortChannel. */
export async function oursWorker(): Promise<Endpoint> {
  const worker = startWorker(PEER, { mode: 'ours' });
  const registry = new CommandRegistry({ id: 'bench' });
  await registry.registerChannel(new WorkerChannel(worker, { id: 'worker' }));
  return registryEndpoint('executeCommand', registry, () => terminate(worker));
}
