// Code states on disk, in the spec's Directory representation (CodeStates/<id>/<path>), and the
// checks every representation applies to the recorded file names (untrusted) a state holds.
import { link, mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { relativePathProblem, resolveInside, writeNewFile } from '../base/confine';
import { forEachAtOnce } from '../base/atOnce';
import { CodetrailError } from '../base/errors';
import type { KnownChecksums } from './format';

/** One file of a code state: its text and the hash that names its content. */
export interface StateFile {
  text: string;
  sha: string;
}

export interface CodeState {
  id: string;
  /** Path → content: the whole project as recorded at this point. */
  files: Map<string, StateFile>;
  /** When a row first named it (ms): the Git representation's commit time. */
  ts: number;
}

/** Where a task's code states go once its replay is done. */
export interface CodeStateWriter {
  /**
   * Writes the task's states (in the order rows first named them). Resolves once they are handed
   * over, with the CodeStateID of each state id to come (undefined: each state's own id), so the
   * next task can replay while they are stored.
   */
  writeTask(taskId: string, states: CodeState[]): Promise<{ ids: Promise<ReadonlyMap<string, string> | undefined> }>;
  /** Completes what is written; the checksums of files written from content already hashed. */
  finish(): Promise<KnownChecksums | undefined>;
}

/** Why a recorded file name cannot be a path in a code state, or undefined when it can. */
export function codeStatePathProblem(file: string): string | undefined {
  const problem = relativePathProblem(file);
  if (problem) return problem;
  // Git's own rule (verify_path, with its NTFS and HFS+ spellings): no component may name a
  // repository's .git, which a checkout of the Git representation would write through. Refused in
  // both representations, so one store exports the same states either way.
  const gitDir = (part: string) =>
    /^(\.git|git~1)$/.test(
      part
        .replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '')
        .replace(/[. ]+$/, '')
        .toLowerCase(),
    );
  if (file.split('/').some(gitDir)) return 'goes into a .git folder';
  return undefined;
}

/**
 * Checks a state's recorded file names (untrusted): each a safe path (once per name, in
 * `checked`), and none both a file and a folder of another (a Directory could not hold both, a
 * git tree would keep one silently). Throws a bad-input error otherwise.
 */
export function checkStateNames(state: CodeState, checked: Set<string>): void {
  for (const file of state.files.keys()) {
    if (checked.has(file)) continue;
    const problem = codeStatePathProblem(file);
    if (problem) throw new CodetrailError('bad-input', `recorded file name ${JSON.stringify(file)} names a path that ${problem}; refusing it`);
    checked.add(file);
  }
  for (const file of state.files.keys())
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1))
      if (state.files.has(file.slice(0, slash)))
        throw new CodetrailError(
          'bad-input',
          `recorded file names ${JSON.stringify(file.slice(0, slash))} and ${JSON.stringify(file)} make one both a file and a folder; refusing them`,
        );
}

/** Files of code states created at once: enough to keep the thread pool busy while one waits on the disk. */
const LINKING_AT_ONCE = 16;
const STATES_AT_ONCE = 4;

/**
 * Writes code states as directories. A file whose content was written before (in any state of
 * the export) is a hard link to that copy: states are whole projects, but each distinct content
 * takes disk space once. Where links are refused (some file systems), the file is copied.
 * Every file's checksum is known from its content, so the manifest need not read them back.
 */
export class DirectoryCodeStateWriter implements CodeStateWriter {
  private readonly written = new Set<string>();
  private readonly copies = new Map<string, Promise<string>>();
  /** Recorded file names already checked as safe relative paths. */
  private readonly safeNames = new Set<string>();
  readonly checksums = new Map<string, { sha256: string; bytes: number }>();
  private root: Promise<string> | undefined;

  constructor(private readonly out: string) {}

  async write(state: CodeState): Promise<void> {
    if (this.written.has(state.id)) return;
    this.written.add(state.id);
    // CodeStates/ is made here, in the export's fresh folder, and nothing but this writer puts
    // anything under it: no link can lie on the way, so a recorded name (untrusted) needs only
    // the lexical check, once per name, and the folder's own realpath once per export.
    const root = await (this.root ??= mkdir(join(this.out, 'CodeStates'), { recursive: true }).then(() =>
      resolveInside(this.out, 'CodeStates', 'the code states folder'),
    ));
    const dir = join(root, state.id);
    checkStateNames(state, this.safeNames);
    const folders = new Set<string>([dir]);
    for (const file of state.files.keys()) folders.add(dirname(join(dir, file)));
    // Only the deepest folders: a recursive mkdir makes the ones above.
    const deepest = [...folders].filter((f) => ![...folders].some((g) => g.startsWith(f + sep)));
    await Promise.all(deepest.map((f) => mkdir(f, { recursive: true })));
    await forEachAtOnce([...state.files], LINKING_AT_ONCE, async ([file, { text, sha }]) => {
      await this.place(join(dir, file), text, sha);
      this.checksums.set(`CodeStates/${state.id}/${file}`, { sha256: sha, bytes: Buffer.byteLength(text) });
    });
  }

  /** Several states at once: each waits on the disk for most of its time. */
  async writeTask(_taskId: string, states: CodeState[]): Promise<{ ids: Promise<undefined> }> {
    await forEachAtOnce(states, STATES_AT_ONCE, (state) => this.write(state));
    return { ids: Promise.resolve(undefined) };
  }

  finish(): Promise<KnownChecksums> {
    return Promise.resolve(this.checksums);
  }

  /** A link to the first copy of this content, or the first copy itself (claimed before it is written, as states are written side by side). */
  private async place(path: string, text: string, sha: string): Promise<void> {
    const copy = this.copies.get(sha);
    if (
      copy &&
      (await link(await copy, path).then(
        () => true,
        () => false,
      ))
    )
      return;
    const written = writeNewFile(path, text).then(() => path);
    if (!copy) this.copies.set(sha, written);
    await written;
  }
}
