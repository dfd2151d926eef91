// Loads dist/tasks.js (src/tasks.ts) on first use. It sits beside main.js in dist/ and beside this
// file in the compiled tests, so one path serves both. In the bundle, the modules whose one
// instance matters (error classes that `instanceof` checks, git's gateways and failure sink) are
// the recorder's own: esbuild.mjs points tasks.js at them through main.js's `shared` export.
import { join } from 'node:path';

let tasks: typeof import('./tasks') | undefined;

export function taskTools(): typeof import('./tasks') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of its own, loaded on first use
  return (tasks ??= require(join(__dirname, 'tasks.js')) as typeof import('./tasks'));
}
