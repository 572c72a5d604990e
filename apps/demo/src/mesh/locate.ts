import { fileURLToPath } from 'node:url';

/**
 * Where the demo's programs are. The demo runs either built (`node dist/main.js`: every file is .js)
 * or from source under tsx (tests: every file is .ts, and children need tsx too). Which one is read
 * off this module's own file name, and packages are found through node's resolution of their names,
 * so the same code works in both and from any working directory.
 */
const fromSource = import.meta.url.endsWith('.ts');
const extension = fromSource ? '.ts' : '.js';

/** A program to run with node: the script and the node flags it needs. */
export interface NodeProgram {
  script: string;
  nodeArgs: string[];
}

/** Node flags for running a script of this build (TypeScript sources need tsx). */
export function nodeArgsFor(script: string): string[] {
  return script.endsWith('.ts') ? ['--conditions=development', '--import', 'tsx'] : [];
}

/** The `cmd-ipc` CLI of the cmd-ipc package (`dist/cli/main.js`, or `src/cli/main.ts` from source). */
export function cmdIpcCli(): NodeProgram {
  const index = import.meta.resolve('cmd-ipc');
  const script = fileURLToPath(new URL(index.endsWith('.ts') ? './cli/main.ts' : './cli/main.js', index));
  return { script, nodeArgs: nodeArgsFor(script) };
}

/** One of the demo's node programs in `nodes/`. */
export function demoNode(name: 'tcp-node' | 'actor-node'): NodeProgram {
  const script = fileURLToPath(new URL(`../nodes/${name}${extension}`, import.meta.url));
  return { script, nodeArgs: nodeArgsFor(script) };
}

/** The manifest of one of theater-bridge's shipped actors. */
export function actorManifest(name: 'echo' | 'counter'): string {
  return fileURLToPath(new URL(`../actors/${name}/${name}.toml`, import.meta.resolve('@cmd-ipc/theater-bridge')));
}
