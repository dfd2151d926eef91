// Loads dist/tasks.js (src/ui/tasks.ts) on first use. It is bundled into dist/ beside main.js,
// whose code this runs in, and compiled beside this file for the tests: one path serves both. The
// modules tasks.js shares with main.js are main.js's own instances (esbuild.mjs, sharedModules):
// error classes that `instanceof` checks, git's gateways and failure sink.
import { join } from 'node:path';

let tasks: typeof import('./tasks') | undefined;

export function taskTools(): typeof import('./tasks') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of its own, loaded on first use
  return (tasks ??= require(join(__dirname, 'tasks.js')) as typeof import('./tasks'));
}
