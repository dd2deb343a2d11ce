import { register } from 'node:module';

let registered = false;

/**
 * Has a module imported with `?environment=<n>` import each project file under it anew too
 * (fresh-modules-hooks.ts): a fresh execution environment of a function, init and module state included.
 * Effective where Node itself loads the modules (`npm start`, the worker process: tsx); under a test runner
 * that evaluates them itself, only the tagged module is evaluated anew, its imports shared.
 */
export function freshModulesByTag(): void {
  if (registered) return;
  registered = true;
  register(new URL('./fresh-modules-hooks.mjs', import.meta.url));
}

/** The URL of a fresh instance of `moduleUrl` (and, see freshModulesByTag, of the project files it imports). */
export const taggedWith = (moduleUrl: string, generation: number): string =>
  generation === 0 ? moduleUrl : `${moduleUrl}?environment=${generation}`;
