import type { ChildProcess } from 'node:child_process';
import type { NetworkPeerConfig } from '../peers/network-config.js';
import { forkPeer, waitForReady } from '../process/children.js';

/** Forks the network echo peer and waits until it listens; returns it with its port. */
export async function startNetworkPeer(config: NetworkPeerConfig): Promise<{ child: ChildProcess; port: number | undefined }> {
  const child = forkPeer('peers/network-echo', config);
  const ready = await waitForReady(child, `the ${config.mode} ${config.transport} echo peer`);
  return { child, port: ready.port };
}
