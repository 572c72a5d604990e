#!/usr/bin/env node
// Compiles every AssemblyScript actor in actors/<name>/<name>.ts to actors/dist/<name>.wasm.
//
// AssemblyScript identifiers cannot contain "-" or ".", but command names do (`handle-request`,
// `tcp-client.on-data`), so after compiling, exports are renamed: "__" becomes "." and "_" becomes "-"
// (`tcp_client__on_data` -> `tcp-client.on-data`). Names starting with "_" and the ABI's own
// `alloc`/`dealloc`/`memory` are left alone. This renaming is an AssemblyScript build convenience,
// not part of the ABI: the runtime uses wasm export names verbatim.
//
// Usage: node scripts/build-actors.mjs [--force] [--if-missing]
import { readdirSync, statSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import asc from 'assemblyscript/asc';
import binaryen from 'assemblyscript/binaryen';

const actorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'actors');
const outDir = join(actorsDir, 'dist');
const force = process.argv.includes('--force');
const ifMissing = process.argv.includes('--if-missing');

/** Newest modification time among the .ts files of a directory (recursively). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The export name the runtime will see for an AssemblyScript identifier. */
function exportName(name) {
  if (name.startsWith('_') || name === 'alloc' || name === 'dealloc') return name;
  return name.replaceAll('__', '.').replaceAll('_', '-');
}

/** Renames function exports per `exportName`, returning the new binary. */
function renameExports(binary) {
  // Read with every feature enabled: asc already chose the features (bulk memory, saturating
  // truncation, …), this pass only renames and must not reject what asc emitted.
  const module = binaryen.readBinaryWithFeatures(binary, binaryen.Features.All);
  try {
    const renames = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      const info = binaryen.getExportInfo(module.getExportByIndex(i));
      if (info.kind !== binaryen.ExternalFunction) continue;
      const wanted = exportName(info.name);
      if (wanted !== info.name) renames.push({ from: info.name, to: wanted, internal: info.value });
    }
    for (const { from, to, internal } of renames) {
      module.removeExport(from);
      module.addFunctionExport(internal, to);
    }
    if (!module.validate()) throw new Error('binaryen rejected the renamed module');
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}

async function buildActor(name) {
  const entry = join(name, `${name}.ts`);
  const out = join(outDir, `${name}.wasm`);
  const libNewest = newestSource(join(actorsDir, 'lib'));
  const srcNewest = Math.max(libNewest, newestSource(join(actorsDir, name)));
  if (existsSync(out) && (ifMissing || (!force && statSync(out).mtimeMs >= srcNewest))) return false;
  const tmp = join(tmpdir(), `theater-actor-${process.pid}-${name}.wasm`);
  const { error, stderr } = await asc.main(
    [
      entry,
      '--outFile', tmp,
      '--optimizeLevel', '3',
      '--shrinkLevel', '0',
      '--runtime', 'incremental',
      // No `env.abort` import: a failed assertion traps (see lib/abi.ts).
      '--use', 'abort=lib/abi/abortHandler',
      '--baseDir', actorsDir,
    ],
  );
  if (error) {
    throw new Error(`asc failed for actor ${name}: ${error.message}\n${stderr.toString()}`);
  }
  writeFileSync(out, renameExports(readFileSync(tmp)));
  rmSync(tmp, { force: true });
  return true;
}

mkdirSync(outDir, { recursive: true });
const names = readdirSync(actorsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'lib' && d.name !== 'dist')
  .filter((d) => existsSync(join(actorsDir, d.name, `${d.name}.ts`)))
  .map((d) => d.name);
for (const name of names) {
  const built = await buildActor(name);
  if (built) console.log(`built actors/dist/${name}.wasm`);
}
