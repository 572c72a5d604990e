/**
 * The one table that maps what an actor may import to where the call goes.
 *
 * A wasm import (module = interface, name = function) becomes the command `commandPrefix + function`,
 * executed through the registry with the actor as caller. The theater's own handlers use private
 * (`_`-prefixed) commands: they act on the calling actor, so they are served by the runtime the
 * actor lives in and are never advertised to the mesh. `tcp` goes to the tcp-handler's public
 * `tcp.*` commands, wherever in the mesh they are registered.
 */

/** The handler names a manifest can grant. */
export type HandlerType = 'runtime' | 'message-server' | 'supervisor' | 'store' | 'timer' | 'tcp';

/** One importable interface. */
export interface InterfaceSpec {
  /** The manifest handler that grants this interface. */
  handler: HandlerType;
  /** The wasm import module name. */
  name: string;
  /** Prefix of the command each function maps to. */
  commandPrefix: string;
  /** The functions an actor may import from it. */
  functions: readonly string[];
}

/** Every interface, keyed by handler. */
export const INTERFACES: Readonly<Record<HandlerType, InterfaceSpec>> = {
  runtime: {
    handler: 'runtime',
    name: 'theater:simple/runtime',
    commandPrefix: '_theater.runtime.',
    functions: ['log', 'self', 'shutdown'],
  },
  'message-server': {
    handler: 'message-server',
    name: 'theater:simple/message-server-host',
    commandPrefix: '_theater.message.',
    functions: ['send', 'request'],
  },
  supervisor: {
    handler: 'supervisor',
    name: 'theater:simple/supervisor',
    commandPrefix: '_theater.supervisor.',
    functions: ['spawn', 'stop', 'restart', 'list', 'status', 'watch', 'unwatch'],
  },
  store: {
    handler: 'store',
    name: 'theater:simple/store',
    commandPrefix: '_theater.store.',
    functions: ['put', 'get', 'has', 'label', 'resolve', 'labels'],
  },
  timer: {
    handler: 'timer',
    name: 'theater:simple/timer',
    commandPrefix: '_theater.timer.',
    functions: ['now', 'set-interval', 'cancel'],
  },
  tcp: {
    handler: 'tcp',
    name: 'theater:simple/tcp',
    commandPrefix: 'tcp.',
    functions: [
      'connect',
      'listen',
      'accept',
      'activate',
      'set-active',
      'transfer',
      'peer-address',
      'send',
      'receive',
      'close',
      'close-listener',
      'upgrade-to-tls-server',
      'upgrade-to-tls-client',
      'release',
    ],
  },
};

const byName = new Map<string, InterfaceSpec>(Object.values(INTERFACES).map((spec) => [spec.name, spec]));

/** The interface with this import module name, if there is one. */
export function interfaceByName(name: string): InterfaceSpec | undefined {
  return byName.get(name);
}

/** The command an import maps to. */
export function commandFor(spec: InterfaceSpec, fn: string): string {
  return `${spec.commandPrefix}${fn}`;
}
