import { ChildProcessChannel, CommandRegistry } from 'cmd-ipc';
import { ECHO_REQUEST } from '../harness/payload.js';
import type { Endpoint } from '../harness/scenario.js';
import { forkPeer, stopChild, waitForReady } from '../process/children.js';
import { PendingCalls, type RawReply } from '../raw/pending-calls.js';
import { registryEndpoint } from './registry-endpoint.js';

const PEER = 'peers/process-echo';

/** Floor: process.send to a forked child (JSON serialization) that sends the request back. */
export async function rawChildProcess(): Promise<Endpoint> {
  const child = forkPeer(PEER, { mode: 'raw' });
  await waitForReady(child, 'the raw child-process echo');
  const pending = new PendingCalls();
  child.on('message', (reply: RawReply) => pending.settle(reply));
  return {
    label: 'process.send echo',
    call: () => pending.call(ECHO_REQUEST, (message) => child.send(message)),
    close: () => stopChild(child),
  };
}

/** Ours: executeCommand into a child registry over ChildProcessChannel/ParentProcessChannel. */
export async function oursChildProcess(): Promise<Endpoint> {
  const child = forkPeer(PEER, { mode: 'ours' });
  const registry = new CommandRegistry({ id: 'bench' });
  await registry.registerChannel(new ChildProcessChannel(child, { id: 'child' }));
  return registryEndpoint('executeCommand', registry, () => stopChild(child));
}
