// Code states in the spec's Git representation (progsnap2-v1.0.yaml of CSSPLICE/ProgSnapToolbox:
// a CodeStateID is a commit hash; its repositories are grouped by subject and project): one
// bare repository, CodeStates/, for the whole export, each state a commit whose tree is the whole
// project, and a task's states one branch in the order its rows first name them. git stores each
// distinct file and folder once across the export, and a commit is fed only the files that
// changed since the one before it: the cost follows the edits, not the project's size per edit.
import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { resolveInside } from '../base/confine';
import { FastImport, initBareRepository, quotePath } from '../git/fastImport';
import { checkStateNames, type CodeState, type CodeStateWriter, type StateFile } from './progsnap2CodeStates';

/** Whose commits these are: the tool's, not the engineer's (recorded names could break the line). */
const COMMITTER = 'Codetrail <codetrail@invalid>';

/** A task id as a branch name when it is a plain one, else a hash of it (ids are the store's, untrusted). */
export function taskBranch(taskId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(taskId)
    ? `refs/heads/${taskId}`
    : `refs/heads/task-${createHash('sha256').update(taskId).digest('hex').slice(0, 16)}`;
}

/** The fast-import text of `data`: its length in bytes, then itself. */
function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Commands are written in chunks of about this many characters. */
const CHUNK = 1 << 20;

/**
 * Commits one fast-import makes before the next takes over. fast-import keeps a table entry per
 * object it wrote (about 100 bytes); a fresh one still finds what the earlier packs hold and does
 * not store it again, so memory stays bounded at the cost of one pack per this many commits.
 */
const COMMITS_PER_PACK = 100_000;

export class GitCodeStateWriter implements CodeStateWriter {
  private importer: Promise<FastImport> | undefined;
  private marks = 0;
  private readonly safeNames = new Set<string>();
  private repository: Promise<string> | undefined;

  constructor(
    private readonly out: string,
    private readonly commitsPerPack = COMMITS_PER_PACK,
  ) {}

  async writeTask(taskId: string, states: CodeState[]): Promise<{ ids: Promise<ReadonlyMap<string, string>> }> {
    if (states.length === 0) return { ids: Promise.resolve(new Map()) };
    for (const state of states) checkStateNames(state, this.safeNames);
    if (this.marks >= this.commitsPerPack) {
      // Its pack complete (it answers the marks asked before `done` first), a new importer goes on.
      const full = this.importer;
      this.importer = undefined;
      this.marks = 0;
      await (await full)?.done();
    }
    const git = await (this.importer ??= this.start());
    try {
      const marks = await this.commits(git, taskId, states);
      // Answered once fast-import has made the commits, while the next task replays.
      const ids = git.marks(marks).then((shas) => new Map(states.map((state, i) => [state.id, shas[i]!])));
      return { ids };
    } catch (err) {
      // The export fails: fast-import is stopped, not left waiting for the rest of its stream.
      git.abort();
      throw err;
    }
  }

  /** Streams the task's states as commits of its branch; their marks. */
  private async commits(git: FastImport, taskId: string, states: CodeState[]): Promise<number[]> {
    const branch = taskBranch(taskId);
    const marks: number[] = [];
    let before = new Map<string, StateFile>();
    let chunk = `reset ${branch}\n`;
    for (const state of states) {
      marks.push((this.marks += 1));
      chunk += `commit ${branch}\nmark :${this.marks}\ncommitter ${COMMITTER} ${Math.floor(state.ts / 1000)} +0000\n`;
      chunk += data(`Code state of ProblemID ${taskId}\n`);
      for (const file of before.keys()) if (!state.files.has(file)) chunk += `D ${quotePath(file)}\n`;
      for (const [file, entry] of state.files) {
        if (before.get(file)?.sha === entry.sha) continue;
        chunk += `M 100644 inline ${quotePath(file)}\n${data(entry.text)}`;
        if (chunk.length >= CHUNK) {
          await git.write(chunk);
          chunk = '';
        }
      }
      chunk += '\n';
      before = state.files;
    }
    await git.write(chunk);
    return marks;
  }

  /** Waits for the repository to be complete; the manifest reads its few files (the pack, its index, the refs) itself. */
  async finish(): Promise<undefined> {
    await (await this.importer)?.done();
    return undefined;
  }

  /** An importer into the repository, made first in the export's fresh folder (checked like any path it holds). */
  private async start(): Promise<FastImport> {
    const dir = await (this.repository ??= mkdir(join(this.out, 'CodeStates')).then(async () => {
      const dir = await resolveInside(this.out, 'CodeStates', 'the code states repository');
      await initBareRepository(dir);
      return dir;
    }));
    return new FastImport(dir);
  }
}
