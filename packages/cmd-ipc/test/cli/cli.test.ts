/**
 * The `cmd-ipc` CLI, run as a real child process against a real hub (`cmd-ipc serve`, itself a child
 * process) with a real node linked to it over a WebSocket from this process.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CommandRegistry, createHubClient, type ClientBase } from '../../src/index.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { SECRET, cliEnv, collect, runCli, spawnCli, startServe, type ServedHub } from './cli-process.js';

interface Node {
  registry: CommandRegistry;
  client: ClientBase;
  close(): Promise<void>;
}

/** Links a child registry to the hub as `identity`, over WebSocket or TCP. */
async function linkNode(identity: string, url: string): Promise<Node> {
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub' });
  const client: ClientBase = createHubClient(url, { id: 'hub', auth: { identity, secret: SECRET }, reconnect: false });
  await client.attach(registry);
  return {
    registry,
    client,
    close: async () => {
      await client.close();
      await registry.dispose();
    },
  };
}

// Every test starts the CLI (through tsx) a few times; on a loaded 2-core machine each start can take seconds.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

let hub: ServedHub;

/** Resolves once `cmd-ipc watch` says on standard error that its subscription is live. */
function watching(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('watching')) resolve();
    });
  });
}
let calc: Node;
let ws: string;
const tempDir = mkdtempSync(join(tmpdir(), 'cmd-ipc-cli-'));

beforeAll(async () => {
  hub = await startServe();
  ws = hub.urls.ws!;
  calc = await linkNode('calc-node', ws);
  await calc.registry.registerCommand('math.add', ({ a, b }) => a + b, {
    description: 'Adds two numbers',
    schema: { request: z.object({ a: z.number(), b: z.number() }), response: z.number() },
  });
  await calc.registry.registerCommand('math.fail', () => {
    throw new Error('the abacus broke');
  });
  // Never answers, so the caller sees its own timeout.
  await calc.registry.registerCommand('math.slow', () => new Promise(() => {}));
  await calc.registry.registerCommand('math.greet', (request: { name?: string } | undefined) => `hello, ${request?.name ?? 'world'}`);
});

afterAll(async () => {
  await calc?.close();
  const code = await hub?.stop();
  rmSync(tempDir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe('cmd-ipc list', () => {
  it('shows every command in the mesh with its owner and a schema summary', async () => {
    const result = await runCli(['list', '--url', ws]);
    expect(result.code).toBe(0);
    const addLine = result.stdout.split('\n').find((line) => line.startsWith('math.add'));
    expect(addLine).toMatch(/^math\.add\s+calc-node\s+\{a: number, b: number\}\s+number\s+Adds two numbers$/);
    expect(result.stdout).toMatch(/^hub\.topology\s+hub\s/m);
    expect(result.stdout).toMatch(/commands from 2 owners/);
  });

  it('filters by prefix and prints JSON with --json', async () => {
    const result = await runCli(['list', 'math.', '--url', ws, '--json']);
    expect(result.code).toBe(0);
    const { commands } = JSON.parse(result.stdout) as { commands: { id: string; owner: string; channelId?: string; schema?: unknown }[] };
    expect(commands.map((command) => command.id)).toEqual(['math.add', 'math.fail', 'math.greet', 'math.slow']);
    expect(commands[0]).toMatchObject({ owner: 'calc-node', channelId: expect.stringMatching(/^ws:calc-node#/) });
    expect(commands[0]!.schema).toMatchObject({ request: { type: 'object', required: ['a', 'b'] }, response: { type: 'number' } });
  });

  it('works over a tcp:// URL too', async () => {
    const result = await runCli(['list', 'math.add', '--url', hub.urls.tcp!, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ commands: [{ id: 'math.add', owner: 'calc-node' }] });
  });
});

describe('cmd-ipc describe', () => {
  it('prints the full JSON Schema of a command', async () => {
    const result = await runCli(['describe', 'math.add', '--url', ws, '--json']);
    expect(result.code).toBe(0);
    const described = JSON.parse(result.stdout) as { id: string; owner: string; schema: { request: Record<string, unknown> } };
    expect(described).toMatchObject({ id: 'math.add', owner: 'calc-node', description: 'Adds two numbers' });
    expect(described.schema.request).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });

    const human = await runCli(['describe', 'math.add', '--url', ws]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('owner:        calc-node');
    expect(human.stdout).toContain('"required": [');
  });

  it('says a command is not in the mesh with exit code 4', async () => {
    const result = await runCli(['describe', 'math.nope', '--url', ws]);
    expect(result.code).toBe(EXIT_CODES.not_found);
    expect(result.stderr).toContain('command not found in the mesh: math.nope');
  });
});

describe('cmd-ipc exec', () => {
  it('runs a command in another process and prints its result', async () => {
    const result = await runCli(['exec', 'math.add', '{"a":2,"b":3}', '--url', ws]);
    expect(result).toMatchObject({ code: 0, stdout: '5\n' });
    const json = await runCli(['exec', 'math.add', '{"a":2,"b":3}', '--url', ws, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, result: 5 });
  });

  it('prints a string result as text, and runs a command with no request', async () => {
    expect(await runCli(['exec', 'math.greet', '--url', ws])).toMatchObject({ code: 0, stdout: 'hello, world\n' });
  });

  it('reads the request from a file, or from standard input with --file -', async () => {
    const file = join(tempDir, 'request.json');
    writeFileSync(file, '{"a": 40, "b": 2}\n');
    expect(await runCli(['exec', 'math.add', '--file', file, '--url', ws])).toMatchObject({ code: 0, stdout: '42\n' });
    expect(await runCli(['exec', 'math.greet', '--file', '-', '--url', ws], { input: '{"name":"stdin"}' })).toMatchObject({ code: 0, stdout: 'hello, stdin\n' });
  });

  it('exits with the code of each execute error', async () => {
    const notFound = await runCli(['exec', 'math.nope', '--url', ws]);
    expect(notFound.code).toBe(EXIT_CODES.not_found);
    expect(notFound.stderr).toContain('not_found: command not found: math.nope');
    expect(notFound.stderr).toContain('cmd-ipc list --url');

    const invalid = await runCli(['exec', 'math.add', '{"a":2,"b":"three"}', '--url', ws, '--json']);
    expect(invalid.code).toBe(EXIT_CODES.invalid_request);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('invalid request for math.add') } });

    const internal = await runCli(['exec', 'math.fail', '--url', ws]);
    expect(internal.code).toBe(EXIT_CODES.internal_error);
    expect(internal.stderr).toContain('internal_error: the abacus broke');

    const timeout = await runCli(['exec', 'math.slow', '--url', ws, '--timeout', '500']);
    expect(timeout.code).toBe(EXIT_CODES.timeout);
    expect(timeout.stderr).toContain('timeout:');
  });

  it('exits with channel_disconnected when the owner goes away mid-call', async () => {
    const fragile = await linkNode('fragile-node', ws);
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    await fragile.registry.registerCommand('fragile.hang', () => {
      entered();
      return new Promise(() => {});
    });
    const child = spawnCli(['exec', 'fragile.hang', '--url', ws]);
    const finished = collect(child, 20_000);
    await inHandler;
    await fragile.close();
    const result = await finished;
    expect(result.code).toBe(EXIT_CODES.channel_disconnected);
    expect(result.stderr).toContain('channel_disconnected');
  });

  it('refuses a request that is not JSON with exit code 2 and says how to quote it', async () => {
    const result = await runCli(['exec', 'math.add', '{a:2}', '--url', ws]);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain('the request from the command line is not JSON');
    expect(result.stderr).toContain(`'{"a":2,"b":3}'`);
  });
});

describe('cmd-ipc watch', () => {
  it('prints the events that match its prefix as they arrive', async () => {
    const child = spawnCli(['watch', 'calc.', '--url', ws, '--json', '--count', '2']);
    const finished = collect(child, 20_000);
    await watching(child);
    calc.registry.emitEvent('other.noise', { skip: true });
    calc.registry.emitEvent('calc.first', { n: 1 });
    calc.registry.emitEvent('calc.second');
    const result = await finished;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { eventId: string; payload?: unknown; at: string });
    expect(lines.map((line) => line.eventId)).toEqual(['calc.first', 'calc.second']);
    expect(lines[0]!.payload).toEqual({ n: 1 });
    expect(lines[1]).not.toHaveProperty('payload');
  });
});

describe('cmd-ipc nodes', () => {
  it('lists the peers, what they own, and the hub events seen per peer', async () => {
    const result = await runCli(['nodes', '--url', ws, '--json']);
    expect(result.code).toBe(0);
    const picture = JSON.parse(result.stdout) as { nodes: { identity: string; role: string; commands: string[]; transport: string }[] };
    const node = picture.nodes.find((entry) => entry.identity === 'calc-node');
    expect(node).toMatchObject({ role: 'node', transport: 'ws', commands: ['math.add', 'math.fail', 'math.greet', 'math.slow'] });
    expect(picture.nodes.find((entry) => entry.role === 'cli')).toBeDefined();
  });
});

describe('errors a person can act on', () => {
  it('names the hub it cannot reach and asks whether serve is running (exit 3)', async () => {
    const result = await runCli(['list', '--url', 'ws://127.0.0.1:1']);
    expect(result.code).toBe(EXIT_CODES.hub_unreachable);
    expect(result.stderr).toContain('cannot reach hub at ws://127.0.0.1:1: connection refused');
    expect(result.stderr).toContain('is `cmd-ipc serve` running there?');
  });

  it('says the secret was refused (exit 3)', async () => {
    const result = await runCli(['list', '--url', ws], { env: cliEnv({ CMD_IPC_SECRET: 'not-the-secret' }) });
    expect(result.code).toBe(EXIT_CODES.hub_unreachable);
    expect(result.stderr).toMatch(/refused identity "cli-\d+"/);
    expect(result.stderr).toContain('use the same secret as the hub');
  });

  it('says how to give a secret when there is none (exit 3), and reads one from a file', async () => {
    const none = await runCli(['list', '--url', ws], { env: cliEnv({ CMD_IPC_SECRET: undefined }) });
    expect(none.code).toBe(EXIT_CODES.hub_unreachable);
    expect(none.stderr).toContain('no secret to authenticate to the hub with');
    expect(none.stderr).toContain('CMD_IPC_SECRET');

    const file = join(tempDir, 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const fromFile = await runCli(['exec', 'math.add', '{"a":1,"b":1}', '--url', ws, '--secret-file', file], { env: cliEnv({ CMD_IPC_SECRET: undefined }) });
    expect(fromFile).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('rejects unknown commands, unknown options and bad URLs with exit 2', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toContain('unknown command: frobnicate');
    const option = await runCli(['list', '--colour']);
    expect(option.code).toBe(EXIT_CODES.usage);
    expect(option.stderr).toContain("Unknown option '--colour'");
    const url = await runCli(['list', '--url', 'http://127.0.0.1:1']);
    expect(url.code).toBe(EXIT_CODES.usage);
    expect(url.stderr).toContain('unsupported hub URL scheme http:');
  });

  it('prints the usage with --help, including the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cmd-ipc exec     <id> [json]');
    expect(result.stdout).toContain('8 channel_disconnected');
  });
});

describe('cmd-ipc serve', () => {
  it('reports peers joining and leaving, and stops cleanly on SIGTERM', async () => {
    const other = await startServe(['--id', 'second-hub']);
    try {
      const node = await linkNode('short-lived', other.urls.ws!);
      await other.waitForLine((line) => line.event === 'joined' && line.identity === 'short-lived');
      await node.close();
      await other.waitForLine((line) => line.event === 'left' && line.identity === 'short-lived');
    } finally {
      expect(await other.stop()).toBe(0);
    }
    expect(other.lines.at(-1)).toMatchObject({ event: 'stopped', signal: 'SIGTERM' });
  });

  it('ends `watch` with exit 3 when the hub goes away', async () => {
    const other = await startServe([]);
    const child = spawnCli(['watch', '--url', other.urls.ws!]);
    const finished = collect(child, 30_000);
    await watching(child);
    expect(await other.stop()).toBe(0);
    const result = await finished;
    expect(result.code).toBe(EXIT_CODES.hub_unreachable);
    expect(result.stderr).toContain(`lost the hub at ${other.urls.ws}`);
  });

  it('makes a secret when none is given and tells clients where it is', async () => {
    const other = await startServe([], cliEnv({ CMD_IPC_SECRET: undefined }));
    try {
      const listening = other.lines[0]!;
      expect(listening.secretFile).toEqual(expect.stringContaining('cmd-ipc-hub-'));
      const result = await runCli(['list', '--url', other.urls.ws!, '--json'], { env: cliEnv({ CMD_IPC_SECRET: undefined, CMD_IPC_SECRET_FILE: String(listening.secretFile) }) });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ commands: expect.arrayContaining([expect.objectContaining({ id: 'hub.list-commands' })]) });
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });

  it('says so when its port is taken (exit 1)', async () => {
    const port = new URL(ws).port;
    const result = await runCli(['serve', '--port', port]);
    expect(result.code).toBe(EXIT_CODES.failure);
    expect(result.stderr).toContain('EADDRINUSE');
    expect(result.stderr).toContain('--port 0');
  });
});
