import { cmdIpcCli } from './locate.js';
import type { ManagedProcess, ProcessGroup } from './process-group.js';

/** Where a started hub listens. */
export interface HubUrls {
  ws: string;
  tcp: string;
  liveView: string;
}

/** The hub child and where it listens. */
export interface HubProcess {
  process: ManagedProcess;
  urls: HubUrls;
  /** What the hub printed about peers joining and leaving (its --json lines). */
  peerLines: Record<string, unknown>[];
}

/**
 * Starts `cmd-ipc serve` (the very CLI a user runs) as the hub: WebSocket and live page on one free
 * port, TCP on another, all on 127.0.0.1, with the demo's secret in its environment.
 */
export async function startHubProcess(group: ProcessGroup, secret: string, timeoutMs: number): Promise<HubProcess> {
  const cli = cmdIpcCli();
  const peerLines: Record<string, unknown>[] = [];
  let announce: (urls: HubUrls) => void = () => {};
  const listening = new Promise<HubUrls>((resolve) => (announce = resolve));
  const hub = group.start('hub', process.execPath, [...cli.nodeArgs, cli.script, 'serve', '--id', 'hub', '--port', '0', '--tcp-port', '0', '--json'], {
    env: { ...process.env, CMD_IPC_SECRET: secret },
    // With an IPC channel, `cmd-ipc serve` stops by itself if this process dies without stopping it.
    ipc: true,
    onStdoutLine: (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (parsed.event === 'listening') announce(parsed.urls as HubUrls);
      else peerLines.push(parsed);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the hub did not start listening within ${timeoutMs} ms`)), timeoutMs);
    void hub.exited.then(({ code, signal }) => reject(new Error(`the hub exited before listening (code ${code}, signal ${signal}): ${hub.recent.slice(-5).join(' | ')}`)));
  });
  try {
    const urls = await Promise.race([listening, failed]);
    return { process: hub, urls, peerLines };
  } finally {
    clearTimeout(timer);
  }
}
