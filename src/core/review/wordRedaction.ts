// "Redact this everywhere in the task": a word the engineer picked is replaced by a placeholder in
// every record of the task, so that replay of the rewritten task still rebuilds every save and
// commit exactly (of the redacted content, as with secrets).
//
// Most fields are plain text and the word is replaced where it stands. Buffers are harder: a word
// typed a few keys at a time is in no single edit, and its first keys ("fo" of "foo") are a
// piece of it that must go too. So each buffer's history is replayed: every state's occurrences
// are found, then carried back through the edits to the earlier states that held a piece of them
// (a backward pass), and each edit is rewritten to turn the redacted state before it into the
// redacted state after it.
import { applyPatch, createTwoFilesPatch, parsePatch, reversePatch } from 'diff';
import { CodetrailError } from '../base/errors';
import { gitBlobId } from '../base/hash';
import { placeholder, PLACEHOLDER_PATTERN } from '../redact/placeholder';
import { NOT_TEXT_FIELDS, specOf, type ReplayedKind } from '../events/kinds';
import { Replayer } from '../replay/replayer';
import type { EventRecord, RecordOfKind, TextChange } from '../schema/events';

export const MIN_WORD_LENGTH = 3;
export const MAX_WORD_LENGTH = 500;

interface Range {
  start: number;
  end: number;
}

/** Why a word cannot be redacted, or undefined when it can. */
export function checkWord(word: string): string | undefined {
  if (/[\r\n]/.test(word)) return 'pick text within one line';
  if (word.trim().length < MIN_WORD_LENGTH) return `pick at least ${MIN_WORD_LENGTH} characters`;
  if (word.length > MAX_WORD_LENGTH) return `pick at most ${MAX_WORD_LENGTH} characters`;
  if (/^[«»]|[«»]$/.test(word) || new RegExp(PLACEHOLDER_PATTERN.source).test(word)) return 'that is already a placeholder';
  return undefined;
}

/** The placeholder a redacted word becomes: the same for the same word, unreadable without the salt. */
export function wordPlaceholder(word: string, salt: string): string {
  return placeholder('redacted', word, salt).replace('«secret:redacted:', '«redacted:');
}

/** Occurrences of the word outside placeholders, in order. */
export function occurrences(text: string, word: string): Range[] {
  const found: Range[] = [];
  let at = text.indexOf(word);
  if (at === -1) return found;
  const covered = text.includes('«') ? [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
  while (at !== -1) {
    const end = at + word.length;
    if (!covered.some((c) => c.start < end && at < c.end)) found.push({ start: at, end });
    at = text.indexOf(word, end);
  }
  return found;
}

function replaceRanges(text: string, ranges: readonly Range[], with_: string): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + with_;
    at = r.end;
  }
  return out + text.slice(at);
}

/** Sorted, merged union of range lists. */
function merge(a: readonly Range[], b: readonly Range[]): Range[] {
  const all = [...a, ...b].sort((x, y) => x.start - y.start);
  const out: Range[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

interface Change {
  offset: number;
  length: number;
  text: string;
}

/**
 * The part of a range in the text after a change that was already there before it, as one range
 * of the text before (the replaced text in between is taken along), or nothing if the change
 * inserted all of it.
 */
function mapBack(r: Range, c: Change): Range | undefined {
  const insEnd = c.offset + c.text.length;
  const shift = c.length - c.text.length;
  const before = r.start < c.offset ? { start: r.start, end: Math.min(r.end, c.offset) } : undefined;
  const after = r.end > insEnd ? { start: Math.max(r.start, insEnd) + shift, end: r.end + shift } : undefined;
  if (before && after) return { start: before.start, end: after.end };
  return before ?? after;
}

function apply(text: string, c: Change): string {
  return text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
}

/** One buffer's history from a starting text: the changes in order and where each came from. */
interface Chain {
  start: string;
  /** Buffer version of the last state. */
  version: number;
  changes: { change: Change; record: number; index: number }[];
  /** Filled by `plan`: the ranges to hide in each state (0 = start). */
  hide: Range[][];
}

export interface WordRedactionResult {
  records: EventRecord[];
  /** Records that changed. */
  changed: number;
}

/** The task's records with the word redacted everywhere; records that did not change are returned as they were. */
export function redactWordInTask(events: readonly EventRecord[], word: string, salt: string): WordRedactionResult {
  const problem = checkWord(word);
  if (problem) throw new CodetrailError('bad-input', `cannot redact "${word}": ${problem}`);
  const mark = wordPlaceholder(word, salt);
  const plain = (text: string): string => {
    const found = occurrences(text, word);
    return found.length ? replaceRanges(text, found, mark) : text;
  };

  const chains = collectChains(events);
  for (const chain of new Set(chains.values())) plan(chain, word);

  // Forward again: each buffer's redacted state, step by step (chains), and what disk holds as
  // recorded (`raw`) and as rewritten so far (`red`), from replay.
  const progress = new Map<Chain, { step: number; text: string; red: string }>();
  /**
   * Each file's latest buffer state (raw and redacted), by file. Disk text equal to it was written
   * from the buffer (a save, an autosave mid-word): it is redacted as the buffer is, pieces of the
   * word included, which a search for the whole word would miss.
   */
  const latestBuffer = new Map<string, { text: string; red: string }>();
  const asBuffer = (file: string, text: string): string | undefined => {
    const twin = latestBuffer.get(file);
    return twin?.text === text ? twin.red : undefined;
  };
  const raw = new Replayer();
  const red = new Replayer();
  /** Disk as replay knows it before the record; unknown once replay of the task has diverged. */
  const diskText = (r: Replayer, file: string) => (raw.divergence ? undefined : r.knownDiskText(file));
  const rewrite: { [K in ReplayedKind]: (record: RecordOfKind<K>, next: RecordOfKind<K>, i: number) => RecordOfKind<K> } = {
    'file.snapshot': (record, next, i) => {
      const chain = chains.get(i);
      const text = record.data.text;
      if (text === undefined) return next;
      const redText = chain ? replaceRanges(text, chain.hide[0]!, mark) : (asBuffer(record.data.file, text) ?? plain(text));
      if (chain) {
        const state = { step: 0, text, red: redText };
        progress.set(chain, state);
        latestBuffer.set(record.data.file, state);
      }
      return redText !== text ? withData(next, { text: redText, textLength: redText.length, blob: gitBlobId(redText) }) : next;
    },
    gap: (record, next, i) => {
      const buffers = record.data.buffers.map((b, index) => {
        const chain = chains.get(chainKey(i, index));
        if (b.text === undefined || !chain) return b;
        const redText = replaceRanges(b.text, chain.hide[0]!, mark);
        const state = { step: 0, text: b.text, red: redText };
        progress.set(chain, state);
        latestBuffer.set(b.file, state);
        return redText === b.text ? b : { ...b, text: redText, textLength: redText.length, blob: gitBlobId(redText) };
      });
      const diskStates = record.data.disk.map((d) => {
        if (d.deleted || d.text === undefined) return d;
        const redText = asBuffer(d.file, d.text) ?? plain(d.text);
        return redText === d.text ? d : { ...d, text: redText, textLength: redText.length, blob: gitBlobId(redText) };
      });
      return withData(next, { buffers, disk: diskStates });
    },
    edit: (record, next, i) => {
      const chain = chains.get(i);
      const state = chain && progress.get(chain);
      if (!chain || !state) return withData(next, { changes: record.data.changes.map((c) => (c.text === undefined ? c : rebuildChange(c, plain(c.text)))) });
      const changes: TextChange[] = [];
      for (const c of record.data.changes) {
        if (c.text === undefined) continue;
        const step = chain.changes[state.step]!;
        const text = apply(state.text, step.change);
        state.step += 1;
        const hide = chain.hide[state.step]!;
        const redText = replaceRanges(text, hide, mark);
        changes.push(toChange(redactedChange(state.red, redText, step.change, chain.hide[state.step - 1]!, hide, mark)));
        state.text = text;
        state.red = redText;
      }
      // A key that only grew a hidden piece changes nothing visible; the edit stays, empty.
      const visible = changes.filter((c) => c.length > 0 || c.textLength > 0);
      return withData(next, { changes: visible.length ? visible : changes.slice(0, 1) });
    },
    'file.save': (record, next, i) => {
      const chain = chains.get(`save:${i}`);
      const state = chain && progress.get(chain);
      if (state && (state.red !== state.text || record.data.blob !== gitBlobId(state.text))) return withData(next, { blob: gitBlobId(state.red) });
      return next;
    },
    'file.external': (record, next) => {
      const { file, change, patch, blob } = record.data;
      if (change === 'deleted' || patch === undefined) return next;
      let before = diskText(raw, file);
      let after = before !== undefined ? applyPatch(before ?? '', patch) : false;
      let redBefore = diskText(red, file) ?? '';
      if (after === false) {
        // Replay does not know the file on disk, but the buffer may have written it: the patch
        // taken back from the buffer's text gives the content before.
        const twin = latestBuffer.get(file);
        const back = twin ? applyPatch(twin.text, reversePatch(parsePatch(patch)[0]!)) : false;
        if (!twin || back === false) return withData(next, { patch: plain(patch) }); // the patch's lines are redacted where they stand
        [before, after, redBefore] = [back, twin.text, plain(back)];
      }
      const redAfter = asBuffer(file, after) ?? plain(after);
      if (redAfter === after && redBefore === (before ?? '')) return next;
      return withData(next, {
        patch: createTwoFilesPatch(next.data.file, next.data.file, redBefore, redAfter),
        ...(blob !== undefined ? { blob: gitBlobId(redAfter), textLength: redAfter.length } : {}),
      });
    },
    'git.commit': (record, next) => {
      const files = next.data.files.map((f, index) => {
        const path = record.data.files[index]!.path;
        const text = diskText(raw, path);
        const redText = diskText(red, path);
        if (f.dirtyAfter || typeof text !== 'string' || typeof redText !== 'string' || f.blob === null || gitBlobId(text) !== f.blob || redText === text)
          return f;
        return { ...f, blob: gitBlobId(redText), redacted: true };
      });
      return withData(next, { files });
    },
    // Replay keeps what these do to buffers and disk; their text is redacted where it stands.
    'file.close': (_record, next) => next,
    'file.delete': (_record, next) => next,
    'file.rename': (_record, next) => next,
  };

  const out: EventRecord[] = [];
  let changed = 0;
  events.forEach((record, i) => {
    let next = redactPlainFields(record, plain);
    const handler = rewrite[record.kind as ReplayedKind] as ((record: EventRecord, next: EventRecord, i: number) => EventRecord) | undefined;
    if (handler) next = handler(record, next, i);
    raw.applyKnown(record);
    red.applyKnown(next);
    if (JSON.stringify(next) !== JSON.stringify(record)) changed += 1;
    out.push(next);
  });
  return { records: out, changed };
}

function withData<R extends EventRecord>(record: R, patch: Partial<R['data']>): R {
  return { ...record, data: { ...record.data, ...patch } };
}

function rebuildChange(c: TextChange, text: string): TextChange {
  return { ...c, text, textLength: text.length };
}

function toChange(c: Change): TextChange {
  return { offset: c.offset, length: c.length, text: c.text, textLength: c.text.length };
}

/** Key of a chain that starts at a gap's n-th buffer. */
function chainKey(record: number, index: number): string {
  return `${record}:${index}`;
}

/**
 * Follows every buffer (per session and file) through the task: a snapshot or a gap starts a
 * chain, edits extend it, a close ends it. Returns the chain of each snapshot (by record index),
 * each gap buffer (by `record:index`), each edit (by record index) and each save (`save:index`).
 */
function collectChains(events: readonly EventRecord[]): Map<number | string, Chain> {
  const open = new Map<string, Chain>();
  const of = new Map<number | string, Chain>();
  const key = (record: EventRecord, file: string) => `${record.session}\0${file}`;
  const follow: { [K in ReplayedKind]: ((record: RecordOfKind<K>, i: number) => void) | null } = {
    'file.snapshot': (record, i) => {
      if (record.data.target !== 'buffer' || record.data.text === undefined) return;
      const chain: Chain = { start: record.data.text, version: record.data.version ?? 0, changes: [], hide: [] };
      open.set(key(record, record.data.file), chain);
      of.set(i, chain);
    },
    gap: (record, i) =>
      record.data.buffers.forEach((b, index) => {
        if (b.text === undefined) return void open.delete(key(record, b.file));
        const chain: Chain = { start: b.text, version: b.version, changes: [], hide: [] };
        open.set(key(record, b.file), chain);
        of.set(chainKey(i, index), chain);
      }),
    edit: (record, i) => {
      const chain = open.get(key(record, record.data.file));
      // As replay does: edits already in the snapshot are skipped, a missing edit ends the chain.
      if (!chain || record.data.version <= chain.version) return;
      if (record.data.fromVersion !== chain.version || record.data.changes.some((c) => c.text === undefined)) {
        open.delete(key(record, record.data.file));
        return;
      }
      chain.version = record.data.version;
      of.set(i, chain);
      record.data.changes.forEach((c, index) => chain.changes.push({ change: { offset: c.offset, length: c.length, text: c.text! }, record: i, index }));
    },
    'file.save': (record, i) => {
      const chain = open.get(key(record, record.data.file));
      if (chain) of.set(`save:${i}`, chain);
    },
    'file.close': (record) => void open.delete(key(record, record.data.file)),
    // Disk only: no buffer history.
    'file.external': null,
    'file.delete': null,
    'file.rename': null,
    'git.commit': null,
  };
  events.forEach((record, i) => {
    const step = follow[record.kind as ReplayedKind] as ((record: EventRecord, i: number) => void) | null | undefined;
    step?.(record, i);
  });
  return of;
}

/** Fills `chain.hide`: each state's occurrences, and the pieces of later ones it already held. */
function plan(chain: Chain, word: string): void {
  const found: Range[][] = [occurrences(chain.start, word)];
  let text = chain.start;
  for (const { change } of chain.changes) {
    text = apply(text, change);
    found.push(occurrences(text, word));
  }
  const hide: Range[][] = new Array(found.length);
  hide[found.length - 1] = found[found.length - 1]!;
  for (let k = found.length - 1; k > 0; k--) {
    const carried = hide[k]!.map((r) => mapBack(r, chain.changes[k - 1]!.change)).filter((r): r is Range => r !== undefined && r.end > r.start);
    hide[k - 1] = merge(found[k - 1]!, carried);
  }
  chain.hide = hide;
}

/** Offset in the redacted text of a raw offset that lies outside every hidden range. */
function toRedacted(offset: number, hide: readonly Range[], mark: string): number | undefined {
  let shift = 0;
  for (const r of hide) {
    if (r.end <= offset) shift += mark.length - (r.end - r.start);
    else if (r.start < offset) return undefined;
    else break;
  }
  return offset + shift;
}

/**
 * The change that turns the redacted state before into the redacted state after: the raw change
 * moved to redacted offsets when that is exact, else the smallest change between the two texts.
 */
function redactedChange(redBefore: string, redAfter: string, raw: Change, hideBefore: readonly Range[], hideAfter: readonly Range[], mark: string): Change {
  const from = toRedacted(raw.offset, hideBefore, mark);
  const to = toRedacted(raw.offset + raw.length, hideBefore, mark);
  const insertedHidden = hideAfter.some((r) => r.start < raw.offset + raw.text.length && raw.offset < r.end);
  if (from !== undefined && to !== undefined && !insertedHidden) {
    const moved = { offset: from, length: to - from, text: raw.text };
    if (apply(redBefore, moved) === redAfter) return moved;
  }
  let head = 0;
  const max = Math.min(redBefore.length, redAfter.length);
  while (head < max && redBefore.charCodeAt(head) === redAfter.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && redBefore.charCodeAt(redBefore.length - 1 - tail) === redAfter.charCodeAt(redAfter.length - 1 - tail)) tail++;
  return { offset: head, length: redBefore.length - head - tail, text: redAfter.slice(head, redAfter.length - tail) };
}

function redactPlainFields<R extends EventRecord>(record: R, plain: (text: string) => string): R {
  // The fields replay rebuilds are redacted above, by the rewrite that keeps replay exact.
  const skip: readonly string[] = specOf(record).replayText;
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return NOT_TEXT_FIELDS.has(key) ? value : plain(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) copy[k] = walk(v, k);
      return copy;
    }
    return value;
  };
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record.data)) data[k] = skip.includes(k) ? v : walk(v, k);
  // Paths inside the replay fields are plain text too.
  if (record.kind === 'gap') {
    data.buffers = record.data.buffers.map((b) => ({ ...b, file: plain(b.file) }));
    data.disk = record.data.disk.map((d) => ({ ...d, file: plain(d.file) }));
  }
  return { ...record, data } as R;
}

/** Every string of the records that still holds the word (for the check after a rewrite). */
export function remainingOccurrences(records: readonly EventRecord[], word: string): number {
  let n = 0;
  const walk = (value: unknown): void => {
    if (typeof value === 'string') n += occurrences(value, word).length;
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  records.forEach((r) => walk(r.data));
  return n;
}
