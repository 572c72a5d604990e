import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the test actors (actors/dist/*.wasm) with the package's own build script. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build-actors.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
