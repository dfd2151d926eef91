// Deleting steps in review. The records go, and a `gap` record takes their place, saying how many
// of which kinds were removed and holding the state of every file they changed as it was after
// them, so replay resumes there: a deleted range is a marked gap, never a silent hole that would
// make the rest of the task unreplayable.
import { CodetrailError } from '../base/errors';
import { gitBlobId } from '../base/hash';
import { Replayer } from '../replay/replayer';
import type { EventData, EventRecord, RecordOfKind } from '../schema/events';
import { isStepRecord } from './reviewModel';

type Gap = RecordOfKind<'gap'>;

/** The task's records without the given ones, with a gap record for each run of removed records (per session). */
export async function deleteRecords(
  events: readonly EventRecord[],
  ids: ReadonlySet<string>,
): Promise<{ records: EventRecord[]; removed: number; gaps: number }> {
  const refused = events.filter((e) => ids.has(e.id) && !isStepRecord(e));
  if (refused.length) throw new CodetrailError('bad-input', `cannot delete ${refused[0]!.kind} records: they mark the task and its sessions, not a step`);
  const replayer = new Replayer();
  const out: EventRecord[] = [];
  let run: EventRecord[] = [];
  let gaps = 0;
  const closeRun = () => {
    if (run.length === 0) return;
    const made = gapsFor(run, replayer);
    gaps += made.length;
    out.push(...made);
    run = [];
  };
  for (const record of events) {
    // Structural records (a session ending, say) do not break a run the engineer selected.
    if (!ids.has(record.id) && isStepRecord(record)) closeRun();
    await replayer.apply(record);
    if (ids.has(record.id)) run.push(record);
    else out.push(record);
  }
  closeRun();
  const removed = events.length - out.length + gaps;
  // A gap takes the id of a removed record: it sorts where the steps were, and is unique.
  return { records: out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), removed, gaps };
}

function gapsFor(run: readonly EventRecord[], after: Replayer): Gap[] {
  const sessions = [...new Set(run.map((r) => r.session))];
  const touchedDisk = new Set<string>();
  for (const r of run) {
    if (r.kind === 'file.save' || r.kind === 'file.external' || r.kind === 'file.delete' || r.kind === 'file.create') touchedDisk.add(r.data.file);
    if (r.kind === 'file.snapshot' && r.data.target === 'disk') touchedDisk.add(r.data.file);
    if (r.kind === 'file.rename') touchedDisk.add(r.data.file).add(r.data.oldFile);
  }
  return sessions.map((session, n) => {
    const mine = run.filter((r) => r.session === session);
    const first = mine[0]!;
    const kinds = new Map<string, number>();
    for (const r of mine) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    const bufferFiles = new Set(mine.flatMap((r) => (r.kind === 'edit' || (r.kind === 'file.snapshot' && r.data.target === 'buffer') ? [r.data.file] : [])));
    const buffers: EventData<'gap'>['buffers'] = [];
    for (const file of bufferFiles) {
      const state = after.bufferState(session, file);
      if (state === undefined) continue;
      buffers.push(
        state === 'opaque'
          ? { file, version: 0, textLength: 0 }
          : { file, version: state.version, text: state.text, textLength: state.text.length, blob: gitBlobId(state.text) },
      );
    }
    // Disk is shared by sessions: its states go with the last session's gap.
    const disk: EventData<'gap'>['disk'] =
      n < sessions.length - 1
        ? []
        : [...touchedDisk].map((file) => {
            const text = after.knownDiskText(file);
            return text === null ? { file, deleted: true } : text === undefined ? { file } : { file, text, textLength: text.length, blob: gitBlobId(text) };
          });
    return {
      ...first,
      kind: 'gap',
      origin: 'user',
      data: {
        removed: mine.length,
        kinds: [...kinds].map(([kind, count]) => ({ kind, count })),
        fromTs: first.ts,
        toTs: mine[mine.length - 1]!.ts,
        buffers,
        disk,
      },
    } as Gap;
  });
}
