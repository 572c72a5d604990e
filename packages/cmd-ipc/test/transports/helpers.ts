/**
 * Shared test plumbing for the transport tests: starting peers (child processes, worker threads),
 * a real nats-server, certificates made with openssl, and a logger that records what it is told.
 */
import { afterEach } from 'vitest';
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../src/index.js';
import { PEER_CONFIG_ENV, type PeerConfig } from '../fixtures/peer-config.js';

const PEER_ENTRY = new URL('../fixtures/peer.ts', import.meta.url);
const WORKER_BOOTSTRAP = new URL('../fixtures/worker-bootstrap.mjs', import.meta.url);

/** Forks peer.ts as a child process with an IPC pipe (JSON serialization). */
export function forkPeer(config: PeerConfig): ChildProcess {
  return fork(PEER_ENTRY, [], {
    execArgv: ['--conditions=development', '--import', 'tsx'],
    serialization: 'json',
    env: { ...process.env, [PEER_CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Starts peer.ts in a worker thread. */
export function startWorkerPeer(config: PeerConfig): Worker {
  return new Worker(WORKER_BOOTSTRAP, {
    workerData: { entry: PEER_ENTRY.href, config },
    execArgv: ['--conditions=development'],
  });
}

/** Kills a child process with SIGKILL (if still alive) and waits for it to be gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** A nats-server on 127.0.0.1 at a port it picks itself. */
export interface NatsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts `nats-server` on 127.0.0.1 (a random free port, or `port`) and waits until it is ready. */
export async function startNatsServer(port = -1, extraArgs: string[] = []): Promise<NatsServer> {
  // Debian installs it in /usr/sbin, which is not on every user's PATH.
  const binary = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? 'nats-server';
  const server = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const bound = await new Promise<number>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not become ready within 10 s:\n${log}`)), 10_000);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log);
      if (match !== null && log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    url: `nats://127.0.0.1:${bound}`,
    port: bound,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl for this test run. */
export interface TestCertificate {
  key: string;
  cert: string;
}

/** Makes a fresh self-signed certificate with openssl. */
export function makeCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'cmd-ipc-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line a RecordingLogger was given. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** A logger that keeps every line, so a test can assert a reason was logged. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<() => void>();

  debug(message: string, data?: Record<string, unknown>): void {
    this.record('debug', message, data);
  }
  info(message: string, data?: Record<string, unknown>): void {
    this.record('info', message, data);
  }
  warn(message: string, data?: Record<string, unknown>): void {
    this.record('warn', message, data);
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.record('error', message, data);
  }

  /** Resolves with the first line matching `predicate` (already logged or to come), or rejects after `timeoutMs`. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const line = this.lines.find(predicate);
        if (line === undefined) return false;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(line);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching log line within ${timeoutMs} ms; got:\n${this.lines.map((l) => `${l.level}: ${l.message}`).join('\n')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(waiter);
    });
  }

  private record(level: LogLine['level'], message: string, data?: Record<string, unknown>): void {
    this.lines.push(data === undefined ? { level, message } : { level, message, data });
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Resolves with `promise`'s value, or rejects naming `what` if it takes longer than `ms`. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Waits for every promise to settle and returns the rejection codes (or 'resolved'). */
export async function settleCodes(promises: Promise<unknown>[]): Promise<string[]> {
  const results = await Promise.allSettled(promises);
  return results.map((result) => (result.status === 'fulfilled' ? 'resolved' : String((result.reason as { code?: unknown }).code)));
}


/** Collects what a test starts; after each test, stops it all in reverse order (a failing stop is ignored). */
export function cleanupAfterEach(): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
  });
  return cleanups;
}
