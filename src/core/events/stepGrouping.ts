// Which records form one step: the one grouping that review shows and export writes (review
// builds its step list from it; export's StepCollector turns the same groups into exported steps,
// deriving a patch for each edit step from the replay). Per-kind behaviour is in the kinds table
// (`placement`, `category`); the rules that join records are here:
// - edits to one file in one session join while no pause between the step's records exceeds
//   STEP_GAP_MS; cursor moves (selection, viewport) in that file within the pause join them;
// - otherwise navigation (moves, focus, opening a file) in one file and one session is one step;
// - a buffer snapshot taken for an edit belongs to the step of the next edit (the last step when
//   none follows): a move recorded while the edit's burst was still open does not take it;
// - every other step record (save, terminal, test, commit, diagnostics...) is a step of its own
//   and closes the step before it. Task and session markers are no step and close nothing.
import type { EventRecord } from '../schema/events';
import { specOf } from './kinds';
import type { Placement, StepCategory } from './steps';

/** Edits (and moves among them) further apart than this are two steps. */
export const STEP_GAP_MS = 30_000;

export type StepShape = 'edit' | 'navigation' | 'record';

export interface StepGroup {
  shape: StepShape;
  /** The record that opened the step: its time is the step's. */
  lead: EventRecord;
  /** Every record of the step, in recording order (buffer snapshots taken for it included). */
  records: EventRecord[];
  category: StepCategory;
  file: string | null;
  session: string;
  /** When its last record ended (an edit's own duration included). */
  end: number;
}

/** Records that can be part of a step: everything but the task's and sessions' own markers. */
export function isStepRecord(record: EventRecord): boolean {
  return specOf(record).category !== null;
}

/** The file a record is about, if any. */
export function fileOf(record: EventRecord): string | null {
  return 'file' in record.data && typeof record.data.file === 'string' ? record.data.file : null;
}

const endOf = (e: EventRecord) => (e.kind === 'edit' ? e.ts + e.data.durationMs : e.ts);

/**
 * Places records one at a time, in recording order, so an observer of a replay can act on each
 * step as it opens and closes (export takes the buffer before an edit step's first edit).
 */
export class StepGrouper {
  private open: StepGroup | undefined;
  private pending: EventRecord[] = [];

  /** The step the last placed record joined or opened. */
  get current(): StepGroup | undefined {
    return this.open;
  }

  /** Places `record`; returns the step it closed (the record opened the next one), if any. */
  place(record: EventRecord): StepGroup | undefined {
    const spec = specOf(record);
    if (spec.category === null) return undefined;
    const placement = spec.placement?.(record);
    if (placement === 'prelude') {
      this.pending.push(record);
      return undefined;
    }
    const file = fileOf(record);
    const open = this.open;
    if (open && open.session === record.session && open.file === file) {
      const joins =
        open.shape === 'edit'
          ? (placement === 'edit' || placement === 'move') && record.ts - open.end <= STEP_GAP_MS
          : open.shape === 'navigation' && (placement === 'move' || placement === 'look');
      if (joins) {
        open.records.push(...this.preludes(placement), record);
        open.end = Math.max(open.end, endOf(record));
        return undefined;
      }
    }
    const shape: StepShape = placement === 'edit' ? 'edit' : placement === 'move' || placement === 'look' ? 'navigation' : 'record';
    this.open = {
      shape,
      lead: record,
      records: [...this.preludes(placement), record],
      category: shape === 'edit' ? 'edit' : shape === 'navigation' ? 'navigation' : spec.category,
      file,
      session: record.session,
      end: endOf(record),
    };
    return open;
  }

  /** The snapshots waiting for an edit, when `placement` is one (then they are no longer waiting). */
  private preludes(placement: Placement | undefined): EventRecord[] {
    if (placement !== 'edit' || this.pending.length === 0) return [];
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** Closes the last step (snapshots with no step after them join it) and returns it. */
  finish(): StepGroup | undefined {
    const open = this.open;
    if (open) open.records.push(...this.pending);
    this.pending = [];
    this.open = undefined;
    return open;
  }
}

/** A task's records grouped into steps. */
export function groupSteps(events: Iterable<EventRecord>): StepGroup[] {
  const grouper = new StepGrouper();
  const groups: StepGroup[] = [];
  for (const e of events) {
    const closed = grouper.place(e);
    if (closed) groups.push(closed);
  }
  const last = grouper.finish();
  if (last) groups.push(last);
  return groups;
}
