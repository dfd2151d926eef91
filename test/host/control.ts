// A file-based channel between a host suite and scripts/host/resilience.mjs, for what only the
// runner can do: kill this extension host, or look at the workbench's DOM (the status bar).
import { appendFileSync, existsSync, readFileSync, renameSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Resolves with a file's text once another process has put it there (renamed into place or written whole). */
export function waitForFile(path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(readFileSync(path, 'utf8'));
    };
    // Woken by the folder's changes; the first check covers a file written before we watched.
    const watcher = watch(dirname(path), () => existsSync(path) && finish());
    const timer = setTimeout(() => finish(new Error(`the runner did not write ${path} within ${timeoutMs / 1000}s`)), timeoutMs);
    if (existsSync(path)) finish();
  });
}

let asked = 0;

/**
 * Asks the runner whether the workbench shows `text` in the part `where` (present: true) or
 * has stopped showing it (present: false); resolves with what the part shows then.
 */
export async function askWorkbench(
  control: string,
  where: 'statusbar' | 'notifications',
  text: string,
  present: boolean,
): Promise<{ ok: boolean; shown: string }> {
  const n = ++asked;
  writeFileSync(join(control, `ask-${n}.json.tmp`), JSON.stringify({ where, text, present }));
  // Renamed into place so the runner never reads half a question.
  renameSync(join(control, `ask-${n}.json.tmp`), join(control, `ask-${n}.json`));
  return JSON.parse(await waitForFile(join(control, `answer-${n}.json`), 60_000)) as { ok: boolean; shown: string };
}

/** Appends one JSON line, synchronously: it is on disk (in the page cache) even if we are killed next. */
export function journal(file: string, entry: object): void {
  appendFileSync(file, JSON.stringify(entry) + '\n');
}
