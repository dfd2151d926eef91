// `codetrail verify`: replay every task of a store and say, per task, whether the record
// rebuilds exactly what was committed.
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import type { EventRecord, RecordOfKind } from '../schema/events';
import type { ReadIssue } from '../store/segmentReader';
import { readStore } from '../store/storeReader';
import { gitAt } from '../git/gateway';
import { canonicalFindings } from '../redact/canonical';
import { Replayer, type BaseContent, type Divergence } from './replayer';

export type ReplayStatus = 'exact' | 'diverged' | 'unverified' | 'no-commits';

export interface TaskVerdict {
  task: string;
  title: string;
  repo: string;
  status: ReplayStatus;
  events: number;
  commits: number;
  checks: { saves: number; commitFiles: number };
  divergence?: Divergence;
  unverified: { file: string; reason: string }[];
}

export interface VerifyReport {
  tasks: TaskVerdict[];
  summary: Record<ReplayStatus, number> & { tasks: number; eventsOutsideTasks: number };
  issues: ReadIssue[];
}

export interface VerifyOptions {
  /** A clone of the repository: fills in content the store lacks and checks commits in git. */
  repoPath?: string;
  /** Only these tasks. */
  tasks?: string[];
}

/** Groups a store's events by task, in recording order. */
export async function eventsByTask(store: string, onIssue: (issue: ReadIssue) => void): Promise<{ tasks: Map<string, EventRecord[]>; outside: number }> {
  const tasks = new Map<string, EventRecord[]>();
  let outside = 0;
  for await (const { record } of readStore(store, onIssue)) {
    if (record.task === null) {
      outside += 1;
      continue;
    }
    let list = tasks.get(record.task);
    if (!list) tasks.set(record.task, (list = []));
    list.push(record);
  }
  for (const list of tasks.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { tasks, outside };
}

export async function verifyTask(taskId: string, events: EventRecord[], repoPath?: string): Promise<TaskVerdict> {
  const state = events.find((e): e is RecordOfKind<'git.state'> => e.kind === 'git.state');
  const replayer = new Replayer(repoPath && state ? baseFromRepo(repoPath, state) : undefined);
  for (const record of events) await replayer.apply(record);
  if (!replayer.divergence && repoPath) await checkCommitsInGit(repoPath, events, replayer);
  return verdictOf(taskId, events, replayer);
}

/** The verdict on a task from a replay that has applied all its records. */
export function verdictOf(taskId: string, events: readonly EventRecord[], replayer: Replayer): TaskVerdict {
  const start = events.find((e): e is RecordOfKind<'task.start'> => e.kind === 'task.start');
  const unverified = [...replayer.unverified].map(([file, reason]) => ({ file, reason }));
  const status: ReplayStatus = replayer.divergence
    ? 'diverged'
    : unverified.length > 0 && replayer.commits > 0
      ? 'unverified'
      : replayer.commits === 0
        ? 'no-commits'
        : 'exact';
  return {
    task: taskId,
    title: start?.data.title ?? '(task started before this store)',
    repo: events[0]?.repo ?? '',
    status,
    events: events.length,
    commits: replayer.commits,
    checks: { ...replayer.checks },
    ...(replayer.divergence ? { divergence: replayer.divergence } : {}),
    unverified,
  };
}

export async function verifyStore(store: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const issues: ReadIssue[] = [];
  const { tasks, outside } = await eventsByTask(store, (i) => issues.push(i));
  const verdicts: TaskVerdict[] = [];
  for (const [taskId, events] of tasks) {
    if (options.tasks && !options.tasks.includes(taskId)) continue;
    verdicts.push(await verifyTask(taskId, events, options.repoPath));
  }
  const summary = { tasks: verdicts.length, exact: 0, diverged: 0, unverified: 0, 'no-commits': 0, eventsOutsideTasks: outside };
  for (const v of verdicts) summary[v.status] += 1;
  return { tasks: verdicts, summary, issues };
}

/** File content at the task's start, rebuilt from the repository: HEAD, then the dirty diff or untracked file. */
function baseFromRepo(repoPath: string, state: RecordOfKind<'git.state'>): BaseContent {
  const git = gitAt(repoPath);
  const patches = new Map<string, StructuredPatch>();
  for (const p of state.data.dirtyDiff ? parsePatch(state.data.dirtyDiff) : []) {
    const name = (p.newFileName && p.newFileName !== '/dev/null' ? p.newFileName : (p.oldFileName ?? '')).replace(/^[ab]\//, '');
    if (name) patches.set(name, p);
  }
  return async (file) => {
    const untracked = state.data.untracked.find((u) => u.path === file);
    if (untracked) return untracked.content;
    const head = state.data.head ? await git.rawOr(['show', `${state.data.head}:${file}`], null, { expected: true }) : null;
    const patch = patches.get(file);
    const base = !patch ? head : patch.newFileName === '/dev/null' ? null : applyPatch(head ?? '', patch);
    if (base === false) return undefined;
    // Content with secrets was recorded with placeholders salted on the engineer's machine;
    // it cannot be rebuilt here, so it stays unknown rather than wrong.
    if (base !== null && canonicalFindings(base).length > 0) return undefined;
    return base;
  };
}

/** The blob ids a commit event recorded must be the ones git has. */
async function checkCommitsInGit(repoPath: string, events: EventRecord[], replayer: Replayer): Promise<void> {
  const git = gitAt(repoPath);
  for (const record of events) {
    if (record.kind !== 'git.commit') continue;
    for (const file of record.data.files) {
      if (file.redacted) continue; // its blob is of the redacted content, which git does not have
      const inGit = (await git.rawOr(['rev-parse', '--verify', '--quiet', `${record.data.sha}:${file.path}`], '', { expected: true })).trim() || null;
      if (inGit !== file.blob) {
        replayer.divergence = {
          eventId: record.id,
          kind: record.kind,
          file: file.path,
          reason: `the repository's commit ${record.data.sha.slice(0, 10)} has ${inGit ?? 'no such file'}, the record says ${file.blob ?? 'deleted'}`,
        };
        return;
      }
    }
  }
}
