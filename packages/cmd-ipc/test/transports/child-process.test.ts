import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ChildProcessChannel, CommandRegistry } from '../../src/index.js';
import { forkPeer, killHard, settleCodes, within } from './helpers.js';
import { peerTransportSuite } from './peer-suite.js';

describe('child process channels (ChildProcessChannel ↔ ParentProcessChannel, fork IPC, JSON)', () => {
  peerTransportSuite(async (root) => {
    const child = forkPeer({ id: 'c1', up: { kind: 'process' } });
    await root.registerChannel(new ChildProcessChannel(child, { id: 'c1' }));
    return { root, peerId: 'c1', kill: () => killHard(child), cleanup: () => killHard(child) };
  });

  it('closes when the child crashes, failing its calls at once', async () => {
    const root = new CommandRegistry({ id: 'root' });
    const child: ChildProcess = forkPeer({ id: 'c2', up: { kind: 'process' } });
    try {
      await root.registerChannel(new ChildProcessChannel(child, { id: 'c2' }));
      await root.waitForCommand('c2.crash', { timeoutMs: 20_000 });
      const calls = Array.from({ length: 10 }, () => root.executeCommand('c2.hang'));
      const settled = settleCodes(calls); // handlers attached now, so no rejection goes unhandled
      await root.executeCommand('c2.echo');
      const closed = new Promise<string | undefined>((resolve) => root.onChannelClosed((info) => resolve(info.reason)));
      await root.executeCommand('c2.crash');
      expect(await within(5000, 'the channel closing', closed)).toMatch(/child process \d+/);
      expect(await settled).toEqual(Array.from({ length: 10 }, () => 'channel_disconnected'));
    } finally {
      await killHard(child);
      await root.dispose();
    }
  });

  it('closing the parent’s channel disconnects the pipe, and the child (with nothing else to do) exits', async () => {
    const root = new CommandRegistry({ id: 'root' });
    const child = forkPeer({ id: 'c3', up: { kind: 'process' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await root.registerChannel(new ChildProcessChannel(child, { id: 'c3' }));
      await root.waitForCommand('c3.crash', { timeoutMs: 20_000 });
      await root.dispose();
      expect(await within(10_000, 'the child exiting', exited)).toBe(0);
    } finally {
      await killHard(child);
    }
  });
});
