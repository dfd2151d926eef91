// Replay is the proof of capture: from a task's snapshots and events, rebuild every file it
// touched, in the editor's buffers and on disk, and check the result at each save (against the
// hash recorded then) and each commit (against the committed blob). The first event where the
// rebuilt content disagrees is reported; a mismatch is a bug in capture, not noise to tolerate.
import { applyPatch } from 'diff';
import { gitBlobId } from '../base/hash';
import { specOf, type ReplayOps } from '../events/kinds';
import type { EventRecord, RecordOfKind } from '../schema/events';

export interface Divergence {
  eventId: string;
  kind: string;
  file: string;
  reason: string;
}

export interface ReplayCheckCounts {
  saves: number;
  commitFiles: number;
}

/** What disk holds for a file: its text, or deleted, or "unknown" (absent from the map). */
type DiskEntry = { text: string } | { deleted: true };

interface Buffer {
  text: string;
  version: number;
}

/** Supplies a file's content at the task's start when the store has none (verify --repo). */
export type BaseContent = (file: string) => Promise<string | null | undefined>;

export class Replayer implements ReplayOps {
  private readonly buffers = new Map<string, Buffer | 'opaque'>();
  private readonly disk = new Map<string, DiskEntry>();
  private readonly opaqueDisk = new Set<string>();
  readonly checks: ReplayCheckCounts = { saves: 0, commitFiles: 0 };
  readonly unverified = new Map<string, string>();
  readonly touched = new Set<string>();
  commits = 0;
  divergence: Divergence | undefined;

  constructor(private readonly base?: BaseContent) {}

  /** Content of every file as replay has it on disk now (known files only). */
  diskContent(): Map<string, string | null> {
    return new Map([...this.disk].map(([file, entry]) => [file, 'text' in entry ? entry.text : null]));
  }

  /** The rebuilt text of a file's buffer in the record's session, if replay has it. */
  bufferText(session: string, file: string): string | undefined {
    const buffer = this.buffers.get(`${session}\0${file}`);
    return buffer && buffer !== 'opaque' ? buffer.text : undefined;
  }

  /** A buffer's text and version, 'opaque' when replay cannot rebuild it, undefined when not open. */
  bufferState(session: string, file: string): { text: string; version: number } | 'opaque' | undefined {
    const buffer = this.buffers.get(`${session}\0${file}`);
    return buffer === 'opaque' || buffer === undefined ? buffer : { ...buffer };
  }

  /** Applies one record, as the event kinds table says (events/kinds.ts), asking for base content it needs. */
  async apply(record: EventRecord): Promise<void> {
    if (this.divergence) return;
    const spec = specOf(record);
    if (this.base && spec.replayReads) await this.loadBase(spec.replayReads(record));
    spec.replay?.(this, record);
  }

  /** Applies one record with what replay knows (no base content asked for): for replays without one. */
  applyKnown(record: EventRecord): void {
    if (this.divergence) return;
    specOf(record).replay?.(this, record);
  }

  closeBuffer(record: RecordOfKind<'file.close'>): void {
    this.buffers.delete(bufferKey(record, record.data.file));
  }

  deleteFile(record: RecordOfKind<'file.delete'>): void {
    this.touched.add(record.data.file);
    this.disk.set(record.data.file, { deleted: true });
  }

  rename(record: RecordOfKind<'file.rename'>): void {
    const { file, oldFile } = record.data;
    this.touched.add(file);
    const entry = this.disk.get(oldFile);
    this.disk.set(oldFile, { deleted: true });
    if (entry) this.disk.set(file, entry);
    else this.disk.delete(file);
  }

  private diverge(record: EventRecord, file: string, reason: string): void {
    this.divergence ??= { eventId: record.id, kind: record.kind, file, reason };
  }

  snapshot(record: RecordOfKind<'file.snapshot'>): void {
    const { file, target, text, version, blob } = record.data;
    this.touched.add(file);
    if (text === undefined) {
      if (target === 'buffer') this.buffers.set(bufferKey(record, file), 'opaque');
      else this.markDiskOpaque(file, `content not kept (${record.data.omitted ?? 'omitted'})`);
      return;
    }
    if (gitBlobId(text) !== blob) return this.diverge(record, file, 'snapshot text does not match its recorded hash');
    if (target === 'buffer') this.buffers.set(bufferKey(record, file), { text, version: version ?? 0 });
    else this.setDisk(file, { text });
  }

  edit(record: RecordOfKind<'edit'>): void {
    const { file, fromVersion, version, changes } = record.data;
    this.touched.add(file);
    const key = bufferKey(record, file);
    const buffer = this.buffers.get(key);
    if (buffer === 'opaque') return;
    if (!buffer) {
      this.buffers.set(key, 'opaque');
      this.unverified.set(file, 'edited with no snapshot of the buffer before the edit');
      return;
    }
    if (version <= buffer.version) return; // already part of the snapshot
    if (fromVersion !== buffer.version)
      return this.diverge(record, file, `edit starts at version ${fromVersion} but the buffer is at ${buffer.version}: edits are missing`);
    let text = buffer.text;
    for (const change of changes) {
      if (change.text === undefined) {
        this.buffers.set(key, 'opaque');
        this.unverified.set(file, 'edits without text (capture level metadata)');
        return;
      }
      if (change.offset + change.length > text.length)
        return this.diverge(record, file, `change at ${change.offset}+${change.length} is past the end of the buffer (${text.length})`);
      text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
    }
    buffer.text = text;
    buffer.version = version;
  }

  save(record: RecordOfKind<'file.save'>): void {
    const { file, version, blob } = record.data;
    this.touched.add(file);
    const buffer = this.buffers.get(bufferKey(record, file));
    if (!buffer || buffer === 'opaque') {
      // Saved without edits we could rebuild: disk now holds something replay cannot name.
      this.markDiskOpaque(file, 'saved from a buffer replay could not rebuild');
      return;
    }
    if (buffer.version !== version) return this.diverge(record, file, `saved at version ${version} but replay is at ${buffer.version}`);
    if (gitBlobId(buffer.text) !== blob) return this.diverge(record, file, 'saved content differs from the rebuilt buffer');
    this.checks.saves += 1;
    this.setDisk(file, { text: buffer.text });
  }

  external(record: RecordOfKind<'file.external'>): void {
    const { file, change, patch, blob } = record.data;
    this.touched.add(file);
    if (change === 'deleted') {
      this.setDisk(file, { deleted: true });
      return;
    }
    if (patch === undefined) {
      this.markDiskOpaque(file, `external change not kept (${record.data.omitted ?? 'no patch'})`);
      return;
    }
    const before = this.knownDiskText(file);
    if (before === undefined) {
      this.markDiskOpaque(file, 'changed on disk before replay knew its content');
      return;
    }
    const after = applyPatch(before ?? '', patch);
    if (after === false) return this.diverge(record, file, 'the recorded patch does not apply to the rebuilt file');
    if (blob !== undefined && gitBlobId(after) !== blob) return this.diverge(record, file, 'content after the external change differs from its recorded hash');
    this.setDisk(file, { text: after });
  }

  /** Deleted steps: replay resumes from the states the gap recorded. */
  gap(record: RecordOfKind<'gap'>): void {
    for (const { file, version, text, blob } of record.data.buffers) {
      this.touched.add(file);
      if (text === undefined) {
        this.buffers.set(bufferKey(record, file), 'opaque');
        continue;
      }
      if (blob !== undefined && gitBlobId(text) !== blob) return this.diverge(record, file, 'gap text does not match its recorded hash');
      this.buffers.set(bufferKey(record, file), { text, version });
    }
    for (const { file, text, blob, deleted } of record.data.disk) {
      this.touched.add(file);
      if (deleted) this.setDisk(file, { deleted: true });
      else if (text === undefined) this.markDiskOpaque(file, 'content after deleted steps not kept');
      else if (blob !== undefined && gitBlobId(text) !== blob) return this.diverge(record, file, 'gap text does not match its recorded hash');
      else this.setDisk(file, { text });
    }
  }

  /** An independent copy: review scrubs from the nearest copy rather than from the start. */
  clone(): Replayer {
    const copy = new Replayer(this.base);
    for (const [k, v] of this.buffers) copy.buffers.set(k, v === 'opaque' ? v : { ...v });
    for (const [k, v] of this.disk) copy.disk.set(k, v);
    for (const f of this.opaqueDisk) copy.opaqueDisk.add(f);
    for (const [k, v] of this.unverified) copy.unverified.set(k, v);
    for (const f of this.touched) copy.touched.add(f);
    Object.assign(copy.checks, this.checks);
    copy.commits = this.commits;
    copy.divergence = this.divergence;
    return copy;
  }

  /** Text on disk as replay knows it now, without asking for base content. */
  knownDiskText(file: string): string | null | undefined {
    const entry = this.disk.get(file);
    return entry ? ('text' in entry ? entry.text : null) : undefined;
  }

  commit(record: RecordOfKind<'git.commit'>): void {
    this.commits += 1;
    for (const entry of record.data.files) {
      const { path, blob } = entry;
      if (entry.dirtyAfter) continue; // partially staged: the commit is not the working tree
      this.touched.add(path);
      if (entry.oldPath && entry.status === 'R') this.disk.set(entry.oldPath, { deleted: true });
      const text = this.knownDiskText(path);
      if (text === undefined) {
        if (!this.unverified.has(path))
          this.unverified.set(path, this.opaqueDisk.has(path) ? 'content not rebuildable' : 'committed without replay knowing its content');
        continue;
      }
      const actual = text === null ? null : gitBlobId(text);
      if (actual !== blob) {
        return this.diverge(
          record,
          path,
          blob === null
            ? 'committed as deleted, but the rebuilt file exists'
            : text === null
              ? 'committed, but the rebuilt file is deleted'
              : `committed blob ${blob.slice(0, 10)} differs from the rebuilt ${actual!.slice(0, 10)}`,
        );
      }
      this.checks.commitFiles += 1;
    }
  }

  /** Asks the base for the content at the task's start of files replay does not know yet. */
  private async loadBase(files: readonly string[]): Promise<void> {
    for (const file of files) {
      if (this.disk.has(file) || this.opaqueDisk.has(file) || !this.base) continue;
      const base = await this.base(file);
      if (base !== undefined) this.disk.set(file, base === null ? { deleted: true } : { text: base });
    }
  }

  private setDisk(file: string, entry: DiskEntry): void {
    this.opaqueDisk.delete(file);
    this.unverified.delete(file);
    this.disk.set(file, entry);
  }

  private markDiskOpaque(file: string, reason: string): void {
    this.disk.delete(file);
    this.opaqueDisk.add(file);
    this.unverified.set(file, reason);
  }
}

/** Buffers belong to one window session: a document reopened elsewhere starts again. */
function bufferKey(record: EventRecord, file: string): string {
  return `${record.session}\0${file}`;
}
