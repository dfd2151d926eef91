// A file-based channel between a host suite and scripts/host/resilience.mjs, for what only the
// runner can do: kill this extension host, or look at the workbench's DOM (the status bar).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Polls for a file the runner writes; there is no event across processes. */
export async function waitForFile(path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the runner did not write ${path} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return readFileSync(path, 'utf8');
}

let asked = 0;

/**
 * Asks the runner whether the workbench shows `text` in the part `where` (present: true) or
 * has stopped showing it (present: false); resolves with what the part shows then.
 */
export async function askWorkbench(control: string, where: 'statusbar' | 'notifications', text: string, present: boolean): Promise<{ ok: boolean; shown: string }> {
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
