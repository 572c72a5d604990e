#!/usr/bin/env node
import { runCli } from './run.js';
import type { CliIo } from './io.js';

/** Entry point of the `cmd-ipc` bin: real process streams and signals around `runCli`. */
const stopRequested = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
  // Started by a program with an IPC channel (e.g. a supervisor, or the demo): stop when it is gone,
  // even if it was killed too hard to stop its children itself.
  if (process.channel) process.once('disconnect', () => resolve('parent exited'));
});

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  stopRequested,
};

const code = await runCli(process.argv.slice(2), io);
// Let buffered output reach a pipe before exiting; exiting explicitly ends any timers a library left behind.
process.stdout.write('', () => process.exit(code));
