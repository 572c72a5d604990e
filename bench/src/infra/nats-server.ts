import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A nats-server the bench started on 127.0.0.1. */
export interface RunningNatsServer {
  url: string;
  stop(): Promise<void>;
}

/** Raised when no nats-server binary can be found or it does not come up. */
export class NatsServerError extends Error {
  readonly code = 'nats_server_unavailable';

  constructor(message: string) {
    super(message);
    this.name = 'NatsServerError';
  }
}

/** The nats-server binary: on PATH, else where the Debian package puts it (/usr/sbin is not on every PATH). */
export function findNatsServer(): string {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nats-server')), '/usr/sbin/nats-server', '/usr/bin/nats-server'];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not this one.
    }
  }
  throw new NatsServerError('nats-server not found on PATH or in /usr/sbin: run scripts/setup.sh (apt-get install nats-server)');
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts nats-server on 127.0.0.1 at a free port and waits (at most `timeoutMs`) until it is ready. */
export async function startNatsServer(timeoutMs = 10_000): Promise<RunningNatsServer> {
  const binary = findNatsServer();
  const port = await freePort();
  const server = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new NatsServerError(`nats-server on port ${port} was not ready within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('Server is ready')) {
        cleanUp();
        resolve();
      }
    };
    const onExit = (code: number | null): void => fail(new NatsServerError(`nats-server exited with code ${code} while starting:\n${log}`));
    const onError = (error: Error): void => fail(new NatsServerError(`nats-server could not start: ${error.message}`));
    function cleanUp(): void {
      clearTimeout(timer);
      server.stderr!.off('data', onData);
      server.off('exit', onExit);
      server.off('error', onError);
    }
    function fail(error: Error): void {
      cleanUp();
      server.kill('SIGKILL');
      reject(error);
    }
    server.stderr!.on('data', onData);
    server.once('exit', onExit);
    server.once('error', onError);
  });
  // Keep draining its log so a chatty server never blocks on a full pipe.
  server.stderr!.resume();
  return { url: `nats://127.0.0.1:${port}`, stop: () => stopServer(server) };
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
