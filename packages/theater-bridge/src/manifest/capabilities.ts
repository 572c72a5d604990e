import { AbiError, CapabilityError } from '../errors/theater-errors.js';
import { interfaceByName, type InterfaceSpec } from '../handlers/interfaces.js';
import { grants, type Manifest } from './manifest.js';

/** One import an actor is allowed to make, with the interface it belongs to. */
export interface GrantedImport {
  spec: InterfaceSpec;
  fn: string;
}

/**
 * Checks a module against its manifest before anything runs: every import must be a function of a
 * known interface the manifest grants. The first one that is not is refused, by name.
 */
export function checkImports(module: WebAssembly.Module, manifest: Manifest): GrantedImport[] {
  const granted: GrantedImport[] = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    const name = `${imp.module}.${imp.name}`;
    if (imp.kind !== 'function') {
      throw new CapabilityError(`actor ${manifest.name} imports ${imp.kind} ${name}; only host functions may be imported`);
    }
    const spec = interfaceByName(imp.module);
    if (!spec) {
      throw new CapabilityError(`actor ${manifest.name} imports ${name}: ${imp.module} is not an interface the theater provides`);
    }
    if (!grants(manifest, spec.handler)) {
      throw new CapabilityError(
        `actor ${manifest.name} imports ${name} but its manifest does not grant handler "${spec.handler}"`,
      );
    }
    if (!spec.functions.includes(imp.name)) {
      throw new CapabilityError(`actor ${manifest.name} imports ${name}: interface ${imp.module} has no function ${imp.name}`);
    }
    granted.push({ spec, fn: imp.name });
  }
  return granted;
}

/** Export names the ABI reserves; every other function export is a handler. */
export const RESERVED_EXPORTS: ReadonlySet<string> = new Set(['memory', 'alloc', 'dealloc', '_initialize', '_start']);

/**
 * Checks the exports the ABI requires (`memory`, `alloc`) and returns the handler exports: every
 * function export that is not reserved and does not start with `_`.
 */
export function handlerExports(module: WebAssembly.Module, actorName: string): string[] {
  const exports = WebAssembly.Module.exports(module);
  const kinds = new Map(exports.map((e) => [e.name, e.kind]));
  if (kinds.get('memory') !== 'memory') throw new AbiError(`actor ${actorName} does not export its linear memory as "memory"`);
  if (kinds.get('alloc') !== 'function') throw new AbiError(`actor ${actorName} does not export the function "alloc"`);
  return exports
    .filter((e) => e.kind === 'function' && !RESERVED_EXPORTS.has(e.name) && !e.name.startsWith('_'))
    .map((e) => e.name);
}
