// Turns plain events into stored records: stamps the envelope (id, time, session, task, repo,
// contributor) and hands each line to that repository's segment writer. `record` does no I/O;
// batches are written on `flush`, which the capture session calls on a timer. It takes only
// data the redactor made (`RedactedEventData`): raw text does not compile.
import { errorMessage } from '../base/errors';
import { newUlid } from '../base/ids';
import type { RedactedEventData } from '../redact/redacted';
import { EVENT_SCHEMA_VERSION } from '../schema/version';
import type { EventKind, Origin } from '../schema/events';
import { repoDir } from '../store/layout';
import { SegmentWriter } from '../store/segmentWriter';

export interface RecorderOptions {
  storePath: string;
  sessionId: string;
  contributorId: string;
  rotateBytes?: number;
  now?: () => number;
  /** A flush failed; the records stay buffered and the next flush retries them. */
  onError?: (err: unknown) => void;
  onWarning?: (message: string) => void;
}

export class Recorder {
  private readonly writers = new Map<string, SegmentWriter>();
  /**
   * Writers of ended sessions until their last batch is on disk. One whose close failed (a full
   * disk) keeps its batch and is closed again on the next flush: nothing buffered is dropped.
   */
  private readonly retiring = new Set<SegmentWriter>();
  private session: string;
  private readonly now: () => number;
  private task: string | null = null;
  private disposed = false;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? Date.now;
    this.session = options.sessionId;
  }

  get sessionId(): string {
    return this.session;
  }

  /** Later records belong to a new session, in new segment files. */
  startSession(sessionId: string): void {
    for (const writer of this.writers.values()) this.retiring.add(writer);
    this.writers.clear();
    this.session = sessionId;
    void this.closeRetiring().catch((err) => this.options.onError?.(err));
  }

  /** Closes the current segments (so they can be rewritten); later records go to new ones. */
  async rotate(): Promise<void> {
    for (const writer of this.writers.values()) this.retiring.add(writer);
    this.writers.clear();
    await this.closeRetiring();
  }

  private async closeRetiring(): Promise<void> {
    const results = await Promise.allSettled(
      [...this.retiring].map(async (writer) => {
        await writer.close();
        this.retiring.delete(writer);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  get currentTask(): string | null {
    return this.task;
  }

  setTask(taskId: string | null): void {
    this.task = taskId;
  }

  /**
   * Stamps and buffers one event. `ts` defaults to now; an edit burst passes the time of its
   * first keystroke. The id always comes from the time of recording, so ids sort in the order
   * events were recorded, which is the order replay needs.
   */
  record<K extends EventKind>(repoId: string, kind: K, data: RedactedEventData<K>, origin: Origin, ts?: number): string {
    const now = this.now();
    const id = newUlid(now);
    if (this.disposed) return id;
    const line = JSON.stringify({
      v: EVENT_SCHEMA_VERSION,
      id,
      ts: ts ?? now,
      session: this.session,
      task: this.task,
      repo: repoId,
      contributor: this.options.contributorId,
      kind,
      origin,
      data,
    });
    this.writerFor(repoId).append(line);
    return id;
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    await this.closeRetiring();
    const results = await Promise.allSettled([...this.writers.values()].map((w) => w.flush()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Drops what is buffered for a repository and forgets its writer (consent revoked). */
  async forgetRepo(repoId: string): Promise<void> {
    const writer = this.writers.get(repoId);
    this.writers.delete(repoId);
    await writer?.discard().catch((err) => this.options.onWarning?.(errorMessage(err)));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const writer of this.writers.values()) this.retiring.add(writer);
    this.writers.clear();
    await this.closeRetiring();
  }

  private writerFor(repoId: string): SegmentWriter {
    let writer = this.writers.get(repoId);
    if (!writer) {
      writer = new SegmentWriter({
        dir: repoDir(this.options.storePath, repoId),
        store: this.options.storePath,
        sessionId: this.session,
        rotateBytes: this.options.rotateBytes,
        onWarning: this.options.onWarning,
      });
      this.writers.set(repoId, writer);
    }
    return writer;
  }
}
