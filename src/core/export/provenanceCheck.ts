// What merge recomputes from an export's data instead of trusting its manifest. A raw export
// carries every record of each task: its approval, replay verdict and provenance are rebuilt by
// the rules export used (review/approval.ts, a replay, trajectory.ts) and compared with what the
// manifest claims. Rows of the other formats that carry a task's replay status or policy hash are
// compared too. The data files are checksummed in the manifest, so whoever forges a claim here
// must rewrite the data to match: editing manifest.json is not enough.
// Raw records are spread over partition files by task (a merged export interleaves tasks), so
// memory holds one partition's records at a time, never the whole export.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuthorshipTracker, AUTHORS, sumCounts, type AuthorCounts } from '../replay/authorship';
import { replayTask } from '../replay/pass';
import { verdictOf } from '../replay/verify';
import { approvalOf } from '../review/approval';
import type { EventRecord } from '../schema/events';
import { checkRecord } from '../schema/validate';
import type { ExportOptionsRecord, TaskProvenance } from './manifest';
import { trajectoryOf } from './trajectory';

type Row = Record<string, unknown>;

/** Fields of a task's provenance a raw export lets merge recompute. */
const RECOMPUTED = ['approved', 'replay_status', 'policy_hash', 'consent_at', 'redaction_rules', 'repo', 'contributor', 'deleted_in_review'] as const;

/** Reads one export's rows; names the first claim of its manifest the data contradicts. */
export class ProvenanceCheck {
  private readonly claims: Map<string, TaskProvenance>;
  private readonly writers: WriteStream[];
  problem: string | undefined;

  /**
   * Per task (by the key merge de-duplicates its rows on), the lines its commits added by author:
   * as its rows say (trajectories' commits, SWE-bench's `authorship`), or as its records give once
   * replayed (raw). The merged card sums them. Formats whose rows do not say leave it empty.
   */
  readonly authored = new Map<string, AuthorCounts>();

  /** The form of TRL tool-call arguments the rows hold (undefined: no tool call seen, or not TRL). */
  trlArguments: 'object' | 'string' | undefined;

  /** `temp`: a private folder for the raw records' partitions; `partitions`: how many; `options`: the manifest's claim. */
  constructor(
    private readonly format: string,
    tasks: readonly TaskProvenance[],
    private readonly temp: string,
    partitions: number,
    private readonly options: ExportOptionsRecord | undefined = undefined,
  ) {
    this.claims = new Map(tasks.map((t) => [t.task_id, t]));
    this.writers = format === 'raw' ? Array.from({ length: partitions }, (_, p) => createWriteStream(join(temp, `task-p${p}`))) : [];
  }

  /** One row, as parsed from `where` (a file and line, for messages); `json`: JSON.stringify(row), when the caller has it. */
  async row(row: Row, where: string, json?: string): Promise<void> {
    if (this.problem) return;
    if (this.format === 'raw') return this.rawRow(row, where, json);
    if (this.format === 'trl') {
      this.trlRow(row, where);
      if (this.problem) return;
    }
    // Keyed as merge de-duplicates the rows: SWE-bench's name their task only in `instance_id`.
    const key = row.task_id ?? row.instance_id;
    if (typeof key === 'string' && !this.authored.has(key)) {
      const authored = authoredInRow(this.format, row);
      if (authored) this.authored.set(key, authored);
    }
    const task = typeof row.task_id === 'string' ? row.task_id : undefined;
    if (task === undefined) return;
    const claim = this.claims.get(task);
    if (!claim) {
      this.problem = `${where} holds task ${task}, which the manifest does not list`;
      return;
    }
    const provenance = typeof row.provenance === 'object' && row.provenance !== null ? (row.provenance as Row) : {};
    const seen: [keyof TaskProvenance, unknown][] = [
      ['replay_status', row.replay_status],
      ['policy_hash', provenance.policy_hash],
      ['consent_at', provenance.consent_at],
      ['redaction_rules', provenance.redaction_rules],
    ];
    for (const [field, value] of seen) {
      if (value !== undefined && value !== claim[field]) {
        this.problem = `the manifest says task ${task} has ${field} ${JSON.stringify(claim[field])}, but its rows say ${JSON.stringify(value)} (${where})`;
        return;
      }
    }
  }

  /** Call after the last row: recomputes the raw tasks. The first contradiction, or undefined. */
  async finish(): Promise<string | undefined> {
    await Promise.all(this.writers.map((w) => new Promise<void>((resolve, reject) => w.end((err?: Error | null) => (err ? reject(err) : resolve())))));
    if (this.problem || this.format !== 'raw') return this.problem;
    const seen = new Set<string>();
    for (let p = 0; p < this.writers.length; p++) {
      const tasks = new Map<string, EventRecord[]>();
      for await (const line of createInterface({ input: createReadStream(join(this.temp, `task-p${p}`)), crlfDelay: Infinity })) {
        const record = JSON.parse(line) as EventRecord;
        const list = tasks.get(record.task!) ?? [];
        tasks.set(record.task!, list);
        list.push(record);
      }
      for (const [task, events] of tasks) {
        seen.add(task);
        events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const problem = await this.recompute(task, events);
        if (problem) return (this.problem = problem);
      }
    }
    const missing = [...this.claims.keys()].find((t) => !seen.has(t));
    if (missing) this.problem = `the manifest lists task ${missing}, but the export holds none of its records`;
    return this.problem;
  }

  /** The arguments' form, from the rows: one form throughout, and the one the manifest claims. */
  private trlRow(row: Row, where: string): void {
    const messages = Array.isArray(row.messages) ? (row.messages as unknown[]) : [];
    for (const message of messages) {
      const calls = typeof message === 'object' && message !== null ? (message as Row).tool_calls : undefined;
      for (const call of Array.isArray(calls) ? (calls as unknown[]) : []) {
        const fn = typeof call === 'object' && call !== null ? (call as Row).function : undefined;
        const args = typeof fn === 'object' && fn !== null ? (fn as Row).arguments : undefined;
        const form = typeof args === 'string' ? 'string' : typeof args === 'object' && args !== null ? 'object' : undefined;
        if (!form) continue;
        const expected = this.trlArguments ?? this.options?.trl_arguments;
        if (expected && form !== expected) {
          this.problem = this.trlArguments
            ? `its rows mix tool-call arguments as JSON ${expected}s and as JSON ${form}s (${where})`
            : `the manifest says it was exported with --trl-arguments ${expected}, but its rows hold arguments as JSON ${form}s (${where})`;
          return;
        }
        this.trlArguments = form;
      }
    }
  }

  private async rawRow(row: Row, where: string, json: string | undefined): Promise<void> {
    const checked = checkRecord(row);
    if (!checked.ok) {
      this.problem = `${where} is not a valid event record (${checked.error})`;
      return;
    }
    const task = (row as unknown as EventRecord).task;
    if (task === null) return;
    const p = createHash('md5').update(task).digest().readUInt32BE(0) % this.writers.length;
    if (!this.writers[p]!.write((json ?? JSON.stringify(row)) + '\n')) await once(this.writers[p]!, 'drain');
  }

  private async recompute(task: string, events: EventRecord[]): Promise<string | undefined> {
    const claim = this.claims.get(task);
    if (!claim) return `it holds the records of task ${task}, which the manifest does not list`;
    // One replay: its verdict and who wrote the lines (the fields compared need no steps).
    const authorship = new AuthorshipTracker();
    const replayer = await replayTask(events, [authorship]);
    const t = trajectoryOf(task, events, verdictOf(task, events, replayer), [], authorship.commits);
    this.authored.set(task, sumCounts(authorship.commits.map((c) => c.counts)));
    const actual: Pick<TaskProvenance, (typeof RECOMPUTED)[number]> = {
      approved: approvalOf(events),
      replay_status: t.replay_status,
      policy_hash: t.provenance.policy_hash,
      consent_at: t.provenance.consent_at,
      redaction_rules: t.provenance.redaction_rules,
      repo: t.repo,
      contributor: t.contributor,
      deleted_in_review: t.provenance.deleted_in_review,
    };
    const field = RECOMPUTED.find((f) => claim[f] !== actual[f]);
    return field && `the manifest says task ${task} has ${field} ${JSON.stringify(claim[field])}, but its records give ${JSON.stringify(actual[field])}`;
  }
}

/** A row's counts of added lines by author, when its format carries them and every count is a count. */
function authoredInRow(format: string, row: Row): AuthorCounts | undefined {
  if (format === 'trajectories') {
    if (!Array.isArray(row.commits)) return undefined;
    const counts = (row.commits as unknown[]).map((c) => countsOf(typeof c === 'object' && c !== null ? (c as Row).authored : undefined));
    return counts.every((c) => c !== undefined) ? sumCounts(counts as AuthorCounts[]) : undefined;
  }
  if (format === 'swebench' && typeof row.authorship === 'string') {
    try {
      return countsOf(JSON.parse(row.authorship));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function countsOf(value: unknown): AuthorCounts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const counts = {} as AuthorCounts;
  for (const a of AUTHORS) {
    const n = (value as Row)[a];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return undefined;
    counts[a] = n;
  }
  return counts;
}
