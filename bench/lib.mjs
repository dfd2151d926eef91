// What the benchmarks share.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** A module of the compiled sources (`npm run compile-tests` writes them to out/). */
export const compiled = (path) => require(join(process.cwd(), 'out', path));

/** A deterministic random number generator: every run measures the same stream. */
export function seededRandom(seed) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** Runs `fn` once: its result and the wall time in milliseconds. */
export async function time(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** This process's CPU time so far (user + system), in milliseconds. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** `time`, with the CPU this process spent: on a shared machine the steadier figure. */
export async function timed(fn) {
  const cpu = cpuMs();
  const run = await time(fn);
  return { ...run, cpuMs: cpuMs() - cpu };
}

/**
 * Counts the records the replayer applies (the "one replay per task" check): wraps
 * `Replayer.prototype.apply` until `stop()`. `applied` reads the count; `reset()` starts it over.
 */
export function countReplays() {
  const proto = compiled('src/core/replay/replayer.js').Replayer.prototype;
  const original = proto.apply;
  const counter = {
    applied: 0,
    reset: () => void (counter.applied = 0),
    stop: () => void (proto.apply = original),
  };
  proto.apply = function (...args) {
    counter.applied += 1;
    return original.apply(this, args);
  };
  return counter;
}
