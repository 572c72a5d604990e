import { fileURLToPath } from 'node:url';

/**
 * True when the bench runs from its TypeScript sources (through tsx) rather than from dist. Children
 * then need the same loader, and module files end in .ts.
 */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The file of a bench module given its path under src/ (or dist/) without extension, e.g. `peers/echo-peer`. */
export function benchModule(pathWithoutExtension: string): string {
  const extension = RUNNING_FROM_SOURCE ? '.ts' : '.js';
  return fileURLToPath(new URL(`../${pathWithoutExtension}${extension}`, import.meta.url));
}

/** The bench package's own directory (where results/ lives). */
export function benchPackageDir(): string {
  // src/process or dist/process → the package root.
  return fileURLToPath(new URL('../../', import.meta.url));
}
