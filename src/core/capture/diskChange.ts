// What a change on disk becomes in the store, decided from the content replay last had.
import { gitBlobId } from '../base/hash';
import type { CapturedData } from '../redact/eventRedaction';
import type { Redactor } from '../redact/storeRedactor';
import type { CaptureLevel } from '../gate/policy';

/** Files larger than this are marked, not kept. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type DiskRead =
  { state: 'text'; text: string } | { state: 'missing' } | { state: 'omitted'; reason: 'too-large' | 'binary' | 'unreadable'; size: number };

export interface FileReader {
  stat(path: string): Promise<{ size: number; isFile(): boolean }>;
  readFile(path: string): Promise<Buffer>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as replayable text, or says why it is not (missing, too large, binary). */
export async function readTextFile(path: string, fs: FileReader): Promise<DiskRead> {
  let info;
  try {
    info = await fs.stat(path);
  } catch {
    return { state: 'missing' };
  }
  if (!info.isFile()) return { state: 'missing' };
  if (info.size > MAX_FILE_BYTES) return { state: 'omitted', reason: 'too-large', size: info.size };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch {
    return { state: 'omitted', reason: 'unreadable', size: info.size };
  }
  if (bytes.subarray(0, 8000).includes(0)) return { state: 'omitted', reason: 'binary', size: bytes.length };
  try {
    return { state: 'text', text: utf8.decode(bytes) };
  } catch {
    return { state: 'omitted', reason: 'binary', size: bytes.length };
  }
}

export type DiskChangeEvent = { kind: 'file.snapshot'; data: CapturedData<'file.snapshot'> } | { kind: 'file.external'; data: CapturedData<'file.external'> };

/**
 * The event for a file now read as `now`, when capture last saw `known` (undefined: nothing).
 * Undefined when there is nothing new: the editor's own save, or a repeated watcher event.
 * Both sides are redacted before they are diffed, so the store only holds R(text).
 */
export function diskChangeEvent(
  file: string,
  known: string | undefined,
  now: DiskRead,
  capture: CaptureLevel,
  redactor: Pick<Redactor, 'text' | 'patch'>,
  created = false,
): DiskChangeEvent | undefined {
  // A deletion is recorded even of a file replay never knew: a commit may delete it.
  if (now.state === 'missing') return { kind: 'file.external', data: { file, change: 'deleted' } };
  const change = created ? 'created' : 'modified';
  if (now.state === 'omitted') return { kind: 'file.external', data: { file, change, omitted: now.reason, textLength: now.size } };
  if (now.text === known) return undefined;
  const text = redactor.text(now.text);
  const blob = gitBlobId(text);
  if (capture === 'metadata') return { kind: 'file.external', data: { file, change, blob, textLength: text.length, omitted: 'metadata' } };
  if (known === undefined) return { kind: 'file.snapshot', data: { file, target: 'disk', text, textLength: text.length, blob, reason: 'external' } };
  return {
    kind: 'file.external',
    data: { file, change: 'modified', patch: redactor.patch(file, redactor.text(known), text), blob, textLength: text.length },
  };
}
