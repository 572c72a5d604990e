// The slice of the WebAssembly JS API this package uses. TypeScript ships these types only in its DOM
// libraries and @types/node 20 does not declare them, while Node itself provides the global at run time.

// A module (not an ambient .d.ts) so that every importer of this package, source or build, gets it.
export {};

declare global {
  namespace WebAssembly {
    type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

    interface ModuleImportDescriptor {
      module: string;
      name: string;
      kind: ImportExportKind;
    }

    interface ModuleExportDescriptor {
      name: string;
      kind: ImportExportKind;
    }

    type Imports = Record<string, Record<string, unknown>>;
    type Exports = Record<string, unknown>;

    class Module {
      constructor(bytes: ArrayBufferView | ArrayBuffer);
      static imports(module: Module): ModuleImportDescriptor[];
      static exports(module: Module): ModuleExportDescriptor[];
    }

    class Instance {
      constructor(module: Module, imports?: Imports);
      readonly exports: Exports;
    }

    class Memory {
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }

    class RuntimeError extends Error {}

    function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  }
}
