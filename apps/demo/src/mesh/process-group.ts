import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How many of a child's last output lines are kept, to show when something fails. */
const KEPT_LINES = 40;

/** One child process of the demo and what it printed. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Its last lines of standard error (and of standard output, unless `onStdoutLine` takes them). */
  readonly recent: string[];
  /** Resolves with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True until it has exited. */
  readonly alive: boolean;
}

/** Options of `ProcessGroup.start`. */
export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line of standard output; when absent, lines only go to `recent`. */
  onStdoutLine?: (line: string) => void;
  /** Open an IPC channel, so the child can notice when this process is gone. */
  ipc?: boolean;
}

/**
 * Every child process the demo starts, so that all of them are ended on the way out: on success,
 * on a failed step, on an exception, and on Ctrl-C or SIGTERM.
 */
export class ProcessGroup {
  private readonly processes = new Set<ManagedProcess>();
  private readonly stopping = new Set<ChildProcess>();
  /** Children that ended without the group stopping them, and how: worth saying when a step fails. */
  readonly unexpectedExits: string[] = [];
  private readonly onExit = (): void => this.killAllNow();

  constructor() {
    // The last resort: whatever way this process exits, no child is left running.
    process.on('exit', this.onExit);
  }

  /** Starts `command args` as a child of the group. */
  start(name: string, command: string, args: string[], options: StartOptions = {}): ManagedProcess {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    const recent: string[] = [];
    const keep = (line: string): void => {
      recent.push(line);
      if (recent.length > KEPT_LINES) recent.shift();
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (options.onStdoutLine) options.onStdoutLine(line);
      else keep(line);
    });
    createInterface({ input: child.stderr! }).on('line', keep);
    let alive = true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        alive = false;
        if (!this.stopping.has(child)) this.unexpectedExits.push(`${name} (pid ${child.pid}) exited by itself: ${signal ? `signal ${signal}` : `code ${code}`}`);
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        keep(`could not start: ${error.message}`);
        alive = false;
        resolve({ code: null, signal: null });
      });
    });
    const managed: ManagedProcess = {
      name,
      child,
      recent,
      exited,
      get alive() {
        return alive;
      },
    };
    this.processes.add(managed);
    void exited.then(() => this.processes.delete(managed));
    return managed;
  }

  /** Kills one child with `signal` and waits until it is gone (SIGKILL after `graceMs`). */
  async kill(managed: ManagedProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (!managed.alive) return;
    this.stopping.add(managed.child);
    managed.child.kill(signal);
    const timer = setTimeout(() => managed.child.kill('SIGKILL'), graceMs);
    await managed.exited;
    clearTimeout(timer);
  }

  /** Stops every child (SIGTERM, then SIGKILL for any that linger) and waits for all of them. */
  async stopAll(graceMs = 3000): Promise<void> {
    await Promise.all([...this.processes].map((managed) => this.kill(managed, 'SIGTERM', graceMs)));
    process.off('exit', this.onExit);
  }

  /** The children still running. */
  get running(): ManagedProcess[] {
    return [...this.processes].filter((managed) => managed.alive);
  }

  private killAllNow(): void {
    for (const managed of this.processes) if (managed.alive) managed.child.kill('SIGKILL');
  }
}
