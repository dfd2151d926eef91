// The recording side of one window, between the gate and the store: it coalesces edits, keeps
// what replay will need to know (which buffers and disk contents are already recorded), starts
// and ends sessions (per window, and again after idle gaps and pauses), and tags every event
// with the active task. Capture adapters call it; it never calls VS Code.
import { EditCoalescer, type EditInput, type EditOutput, type TypingBurst } from './editCoalescer';
import type { RawChange } from '../redact/documentRedaction';
import { CodetrailError } from '../base/errors';
import type { CapturedData } from '../redact/eventRedaction';
import type { RedactedEventData } from '../redact/redacted';
import { textFree, type Redactor } from '../redact/storeRedactor';
import { newUlid } from '../base/ids';
import type { Recorder } from './recorder';
import type { AdmittedRepoId } from '../gate/admission';
import type { EventData, EventKind, Origin } from '../schema/events';

export interface SessionInfo {
  policyHash: string;
  consentAt: number;
  captureLevel: 'full' | 'metadata';
  redactionRules: string;
  extensionVersion: string;
  vscodeVersion: string;
  /** The policy's published `org/repo` name, when it sets one. */
  repoName?: string;
  assistants?: EventData<'session.start'>['assistants'];
  inlineSuggest?: boolean;
}

export interface CaptureSessionOptions {
  /** How often bursts are closed and buffered events written. */
  flushIntervalMs: number;
  /** A timed flush failed; everything stays buffered for the next one. */
  onFlushError?: (err: unknown) => void;
  /**
   * The disk holding the store filled up (true) or has room again (false). While full, nothing
   * new is recorded (as if paused); what is buffered is kept and retried on every timed flush.
   */
  onStoreFull?: (full: boolean) => void;
  /** A gap with no activity longer than this ends the session; the next event starts a new one. */
  idleMs: number;
  now?: () => number;
  /** What to stamp on session.start for a repository. */
  sessionInfo: (repoId: string) => SessionInfo | undefined;
  /** Most text of disk contents kept in memory to diff external changes against. */
  maxDiskBytes?: number;
  /** R: applied to every free-text field before anything is buffered; the recorder takes nothing else. */
  redactor: Redactor;
  /** An event was dropped because redaction failed (fail closed). */
  onRedactionError?: (err: unknown) => void;
}

/** Kinds that do not order against content: they never close an open edit burst. */
const NAVIGATION: ReadonlySet<EventKind> = new Set(['selection', 'viewport', 'window.focus', 'diagnostics']);

type StartReason = EventData<'session.start'>['reason'];

export class CaptureSession {
  private readonly coalescer: EditCoalescer;
  private readonly now: () => number;
  private readonly started = new Set<string>();
  private nextStartReason: StartReason = 'window';
  private lastActivity: number;
  /** Buffers whose content replay has (document key → version of the snapshot). */
  private readonly buffers = new Map<string, number>();
  /** Last disk content replay has, per repository and file; least recently used first. */
  private readonly disk = new Map<string, string>();
  private diskBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private full = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly options: CaptureSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    this.coalescer = new EditCoalescer((edit) => this.emitEdit(edit), { onRedactionError: (err) => options.onRedactionError?.(err) });
    this.timer = setInterval(() => {
      this.coalescer.closeIdle(this.now());
      this.flush().catch((err) => options.onFlushError?.(err));
    }, options.flushIntervalMs);
    this.timer.unref();
  }

  get sessionId(): string {
    return this.recorder.sessionId;
  }

  /** What capture redacts with where the text is made (documents, diffs): the store takes only its output. */
  get redactor(): Redactor {
    return this.options.redactor;
  }

  get taskId(): string | null {
    return this.recorder.currentTask;
  }

  /**
   * Notes activity at `at`, which after an idle gap starts a new session. Adapters call it before
   * deciding whether replay already knows a buffer, because a new session forgets them all.
   */
  activity(at: number = this.now()): void {
    this.touch(at);
  }

  /**
   * An editor change event that passed the gate. Returns its file's burst when the next keystroke
   * can be added to it with `typeOn`.
   */
  edit(input: EditInput & { repoId: AdmittedRepoId }): TypingBurst | undefined {
    if (this.full) {
      // Not recorded, but the document's redaction still follows the text.
      input.redaction?.state.transform(
        input.changes.map((c) => ({ offset: c.offset, length: c.length, text: c.text ?? '' })),
        input.redaction.doc,
      );
      return undefined;
    }
    this.touch(input.ts);
    return this.coalescer.push(input);
  }

  /**
   * The next keystroke of a burst `edit` returned (raw offsets, the gate passed), recorded exactly
   * as `edit` would record it, without building its input. False, with nothing recorded, when `edit`
   * would do more than type on in that burst: the caller then calls `edit`.
   */
  typeOn(burst: TypingBurst, change: RawChange, version: number, ts: number): boolean {
    if (this.full) return false;
    this.touch(ts);
    return this.coalescer.typeOn(burst, change, version, ts);
  }

  /** Records any other event (its repository admitted by the gate); returns its id. */
  record<K extends EventKind>(repoId: AdmittedRepoId, kind: K, data: CapturedData<K>, origin: Origin, ts?: number): string {
    if (this.full) return '';
    const at = ts ?? this.now();
    if (!NAVIGATION.has(kind)) {
      this.touch(at);
      this.coalescer.closeAll();
    } else if (at - this.lastActivity > this.options.idleMs) {
      this.splitSession('idle');
    }
    this.ensureStarted(repoId);
    return this.write(repoId, kind, data, origin, ts);
  }

  /** Redacts, then buffers. An event whose redaction fails is dropped, never written raw. */
  private write<K extends EventKind>(repoId: string, kind: K, data: CapturedData<K>, origin: Origin, ts?: number): string {
    let clean: RedactedEventData<K>;
    try {
      clean = this.options.redactor.event(kind, data);
    } catch (err) {
      this.options.onRedactionError?.(err);
      return '';
    }
    return this.recorder.record(repoId, kind, clean, origin, ts);
  }

  /** Closes every open burst (judging typing runs): their records are buffered, not yet written. */
  closeBursts(): void {
    this.coalescer.closeAll();
  }

  /** Writes everything buffered; notices a full disk, and room again. */
  async flush(): Promise<void> {
    this.coalescer.closeAll();
    try {
      await this.recorder.flush();
    } catch (err) {
      if (err instanceof CodetrailError && err.code === 'store-full' && !this.full) {
        this.full = true;
        // Like a pause: what happens meanwhile is not recorded, so replay must start afresh after.
        this.endSession('pause', 'resume');
        this.options.onStoreFull?.(true);
      }
      throw err;
    }
    if (this.full) {
      this.full = false;
      this.options.onStoreFull?.(false);
    }
  }

  /** The store's disk is full: nothing new is recorded until a flush succeeds. */
  get storeFull(): boolean {
    return this.full;
  }

  // ---- tasks ----

  /** Starts a task: from here on every event carries its id, and replay knowledge starts afresh. */
  startTask(repoIds: AdmittedRepoId[], data: EventData<'task.start'>): string {
    this.coalescer.closeAll();
    // An idle gap ends the old session before the task begins, not inside it.
    if (!this.full) this.touch(this.now());
    const taskId = newUlid(this.now());
    this.recorder.setTask(taskId);
    this.forgetContent();
    // Each task carries its consent basis (policy, consent time, rules): its export is made from
    // its own records, and the session may have started before it. Stated again, same session.
    const began = [...this.started];
    this.started.clear();
    for (const repoId of began) this.ensureStarted(repoId, 'task');
    for (const repoId of repoIds) this.record(repoId, 'task.start', data, 'user');
    return taskId;
  }

  endTask(repoIds: AdmittedRepoId[], data: EventData<'task.end'>): void {
    for (const repoId of repoIds) this.record(repoId, 'task.end', data, 'user');
    this.coalescer.closeAll();
    this.recorder.setTask(null);
  }

  /** Continues a task that was active when the window closed (a new session of the same task). */
  resumeTask(taskId: string | null): void {
    this.recorder.setTask(taskId);
  }

  // ---- sessions ----

  /** Ends the session in every repository it recorded; the next event starts a new one. */
  endSession(reason: EventData<'session.end'>['reason'], nextStart: StartReason): void {
    this.coalescer.closeAll();
    const data = textFree('session.end', { reason });
    for (const repoId of this.started) this.recorder.record(repoId, 'session.end', data, 'system', reason === 'idle' ? this.lastActivity : undefined);
    this.started.clear();
    this.nextStartReason = nextStart;
    this.recorder.startSession(newUlid(this.now()));
    this.forgetContent();
  }

  /** Stops recording a repository at once: its open bursts are dropped with the writer's buffer. */
  async forgetRepo(repoId: string): Promise<void> {
    this.started.delete(repoId);
    await this.recorder.forgetRepo(repoId);
  }

  /** Writes everything out and closes the current segments, so that they can be rewritten. */
  async closeSegments(): Promise<void> {
    this.coalescer.closeAll();
    await this.recorder.flush();
    await this.recorder.rotate();
  }

  hasStarted(repoId: string): boolean {
    return this.started.has(repoId);
  }

  // ---- what replay already has ----

  bufferKnown(docKey: string): boolean {
    return this.buffers.has(docKey);
  }

  markBuffer(docKey: string, version: number): void {
    // While the disk is full the snapshot that goes with this was dropped: replay lacks the buffer.
    if (this.full) return;
    this.buffers.set(docKey, version);
  }

  forgetBuffer(docKey: string): void {
    this.buffers.delete(docKey);
  }

  knownDisk(repoId: string, file: string): string | undefined {
    const key = `${repoId}\0${file}`;
    const text = this.disk.get(key);
    if (text !== undefined) {
      this.disk.delete(key);
      this.disk.set(key, text);
    }
    return text;
  }

  setDisk(repoId: string, file: string, text: string | undefined): void {
    const key = `${repoId}\0${file}`;
    const old = this.disk.get(key);
    if (old !== undefined) {
      this.diskBytes -= old.length;
      this.disk.delete(key);
    }
    if (text === undefined || this.full) return;
    this.disk.set(key, text);
    this.diskBytes += text.length;
    const max = this.options.maxDiskBytes ?? 64 * 1024 * 1024;
    // Forgetting a file only costs a fresh snapshot the next time it changes.
    for (const [k, v] of this.disk) {
      if (this.diskBytes <= max) break;
      this.disk.delete(k);
      this.diskBytes -= v.length;
    }
  }

  // ---- internals ----

  private touch(at: number): void {
    if (at - this.lastActivity > this.options.idleMs && this.started.size > 0) this.splitSession('idle');
    this.lastActivity = Math.max(this.lastActivity, at);
  }

  private splitSession(reason: 'idle'): void {
    this.endSession(reason, reason);
    this.lastActivity = this.now();
  }

  private ensureStarted(repoId: string, reason: StartReason = this.nextStartReason): void {
    if (this.started.has(repoId)) return;
    const info = this.options.sessionInfo(repoId);
    if (!info) return;
    this.started.add(repoId);
    // Names and versions from the policy and the host: free text like any other.
    this.write(repoId, 'session.start', { reason, ...info }, 'system');
  }

  private emitEdit(edit: EditOutput): void {
    this.ensureStarted(edit.repoId);
    this.write(edit.repoId, 'edit', edit.data, edit.origin, edit.ts);
  }

  private forgetContent(): void {
    this.buffers.clear();
    this.disk.clear();
    this.diskBytes = 0;
  }

  /** Ends the window's session and writes everything out. */
  async dispose(): Promise<void> {
    clearInterval(this.timer);
    this.endSession('window', 'window');
    await this.recorder.dispose();
  }
}
