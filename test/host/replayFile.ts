// A file's content as the store tells it, for tests that only append to files they recorded from
// the start: its last buffer snapshot, then every edit after it. (`codetrail verify` is the full replay.)
interface StoredRecord {
  kind: string;
  data: { file?: string; target?: string; text?: string; version?: number; changes?: Array<{ offset: number; length: number; text?: string }> };
}

/** `records` in recording order. */
export function replayFile(records: readonly StoredRecord[], file: string): string {
  let text = '';
  let version = -1;
  for (const r of records) {
    if (r.data.file !== file) continue;
    // The buffer's snapshots: a disk snapshot (the watcher seeing the new, empty file) is another copy.
    if (r.kind === 'file.snapshot' && r.data.target === 'buffer' && r.data.text !== undefined) [text, version] = [r.data.text, r.data.version ?? -1];
    // An edit the snapshot already holds (taken after the change when no earlier text was known).
    if (r.kind === 'edit' && (r.data.version ?? 0) <= version) continue;
    if (r.kind === 'edit') for (const c of r.data.changes ?? []) text = text.slice(0, c.offset) + (c.text ?? '') + text.slice(c.offset + c.length);
  }
  return text;
}
