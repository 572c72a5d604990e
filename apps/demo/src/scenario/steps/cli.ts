import { spawn } from 'node:child_process';
import { cmdIpcCli } from '../../mesh/locate.js';
import type { Step } from '../context.js';
import { check } from '../hub-queries.js';

/** Runs the real `cmd-ipc` CLI against the demo's hub; resolves with its exit code and output. */
function runCli(args: string[], secret: string, signal: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = cmdIpcCli();
  const child = spawn(process.execPath, [...cli.nodeArgs, cli.script, ...args], {
    env: { ...process.env, CMD_IPC_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
    signal,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Step: the same mesh, seen and driven through the `cmd-ipc` CLI a person would use. */
export const cliSeesTheMesh: Step = {
  title: 'The cmd-ipc CLI sees and drives the same mesh',
  async run(context, say, signal) {
    const url = context.hubProcess.urls.ws;
    const nodes = await runCli(['nodes', '--url', url], context.secret, signal);
    check(nodes.code === 0, `cmd-ipc nodes exited ${nodes.code}: ${nodes.stderr.trim()}`);
    check(nodes.stdout.includes('tcp-node') && nodes.stdout.includes('actor-node'), 'cmd-ipc nodes does not list both nodes');
    say(`$ cmd-ipc nodes --url ${url}`);
    say(nodes.stdout.trimEnd());
    const { counter } = context.actors;
    const exec = await runCli(['exec', `actor.${counter.actorId}.increment`, '{"by":7}', '--url', url], context.secret, signal);
    check(exec.code === 0 && exec.stdout.trim() === '7', `cmd-ipc exec answered ${exec.code}: ${exec.stdout.trim()} ${exec.stderr.trim()}`);
    say(`$ cmd-ipc exec actor.${counter.actorId}.increment '{"by":7}' --url ${url}`);
    say(exec.stdout.trimEnd());
  },
};
