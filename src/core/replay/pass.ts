// One replay of a task that several consumers watch: export builds the verdict, the steps and a
// format's rows (Zed's edit pairs, ProgSnap2's code states) from a single pass instead of one
// replay each.
import type { EventRecord } from '../schema/events';
import { Replayer } from './replayer';

export interface ReplayObserver {
  /** Before `record` is applied: `replay` holds the state after the record before it. */
  before?(record: EventRecord, replay: Replayer): void;
  /** After `record` is applied. */
  after?(record: EventRecord, replay: Replayer): void;
}

/** Replays the records in order, telling each observer before and after each one; returns the replay. */
export async function replayTask(events: readonly EventRecord[], observers: readonly ReplayObserver[], replayer = new Replayer()): Promise<Replayer> {
  for (const record of events) {
    for (const o of observers) o.before?.(record, replayer);
    await replayer.apply(record);
    for (const o of observers) o.after?.(record, replayer);
  }
  return replayer;
}
