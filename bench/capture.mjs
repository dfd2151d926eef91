// The capture pipeline against a baseline that only serialises and appends the same events,
// measured in the same run (issue 7).
//
// The stream: a synthetic but realistic editing session, on a simulated clock. Someone types code
// into a 400-line file one key at a time (60-220 ms apart, typos fixed with backspace, Enter with
// auto-indent as one change), now and then pauses to think (2-6 s), jumps to another line (a
// cursor move), pastes a few lines, writes a line assigning a secret (2% of lines: a password
// typed key by key, or a token pasted between typed quotes), or types on a line holding one
// (2%). Every simulated second the session's flush timer runs, as the extension's does: bursts
// are closed and buffered records written.
//
// Pipeline: per event what the extension does between VS Code's change event and the store —
// the gate, the edit's origin, coalescing, redaction (in runs, judged when a burst closes), the
// event's redaction, serialising and buffering — and the timer's flushes (closing bursts, so
// judging typing runs, and writing), through CaptureSession, Recorder and SegmentWriter.
// Baseline: the same input events, each stored as it came, with no gate, redaction or coalescing:
// one record per keystroke (an `edit` with that one change) and per cursor move, stamped and
// serialised by the same Recorder (the same envelope as every stored record) and written by the
// same timed flushes. "The same events" are the editor's events, not the pipeline's output:
// coalescing is part of what is measured, so the pipeline stores fewer, larger records.
//
// Times: p50/p99 are per keystroke event (its handler: what typing waits for). Throughput is all
// events over the CPU time of gate..append: every event's handler plus, in the pipeline, the
// timer's closing of bursts (where typing runs are judged; per tick: tickP50us/tickP99us). The
// disk writes of the timed flushes are the same kind of work on both sides and are I/O, not the
// pipeline: timed apart (writeMs, baselineWriteMs). The editor's changing of its own document
// is outside all of them.
// ratio = baseline CPU time / pipeline CPU time for the same events (>= 0.5 is the target).
// Rounds alternate baseline and pipeline after a warm-up; the last line has the medians (and the
// lowest and highest ratio: on a busy machine single rounds vary a lot).
// Usage: npm run build && npm run compile-tests && node bench/capture.mjs [keystrokes] [rounds] [secretLines] [secretEdits]
import { mkdtemp, rm, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = (p) => require(join(process.cwd(), 'out', p));
const { CaptureSession } = out('src/core/capture/captureSession.js');
const { Recorder } = out('src/core/capture/recorder.js');
const { gate } = out('src/core/gate/gate.js');
const { excludeMatcher } = out('src/core/gate/exclusions.js');
const { classifyEdit } = out('src/core/capture/editOrigin.js');
const { Redactor } = out('src/core/redact/storeRedactor.js');
const { DocumentRedaction, stringDocument: view } = out('src/core/redact/documentRedaction.js');
const { newUlid } = out('src/core/base/ids.js');

const N = Number(process.argv[2] ?? 20000);
const ROUNDS = Number(process.argv[3] ?? 5);
const SALT = 'bench-salt';
const REPO = 'r_00000000000000aa';
const FILE = 'src/app.ts';
const FLUSH_MS = 1000;
/** Share of typed lines that assign a secret (half typed passwords, half pasted tokens), and of edits on a line holding one. */
const SECRET_LINES = Number(process.argv[4] ?? 0.02);
const SECRET_EDITS = Number(process.argv[5] ?? 0.02);
const T0 = 1_800_000_000_000;
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-capture-'));

/** Deterministic, so every round and both sides replay the same stream. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODE = [
  'const result = await fetchItems(client, { limit: 50, cursor });',
  'if (!result.ok) throw new Error(`fetch failed: ${result.status}`);',
  'for (const item of result.items) totals.set(item.id, (totals.get(item.id) ?? 0) + item.count);',
  'return items.filter((x) => x.enabled && x.tags.includes(tag)).map((x) => x.id);',
  'export function parseHeader(line: string): Header | undefined {',
  'const [name, value] = line.split(":", 2).map((s) => s.trim());',
  'logger.debug("retrying request", { attempt, delayMs: backoff(attempt) });',
  'this.cache.delete(key);',
  '}',
  'await writeFile(path, JSON.stringify(config, null, 2) + "\\n", "utf8");',
  'const width = Math.max(0, Math.min(maxWidth, text.length * charWidth));',
  'assert.deepEqual(parse("a=1;b=2"), { a: "1", b: "2" });',
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base = (() => {
  const random = rng(1);
  const lines = [];
  for (let i = 0; i < 400; i++) {
    if (i % 97 === 13) lines.push(`  const apiToken = "ghp_${Array.from({ length: 36 }, () => ALNUM[Math.floor(random() * 62)]).join('')}";`);
    else lines.push(`  ${CODE[Math.floor(random() * CODE.length)]}`);
  }
  return lines.join('\n') + '\n';
})();

/** The input events: key/paste/enter changes and cursor moves, with simulated times. */
function makeStream(n) {
  const random = rng(42);
  const between = (a, b) => a + Math.floor(random() * (b - a));
  const events = [];
  let text = base;
  let ts = T0;
  let cursor = text.indexOf('\n', Math.floor(text.length / 2));
  let keys = 0;
  const change = (offset, length, insert, dt) => {
    ts += dt;
    text = text.slice(0, offset) + insert + text.slice(offset + length);
    events.push({ type: 'change', ts, offset, length, text: insert, origin: classifyEdit({ reason: undefined, changes: [{ length, text: insert }] }) });
    if (insert.length <= 2 && length <= 1) keys += 1;
  };
  while (keys < n) {
    const roll = random();
    let line = CODE[Math.floor(random() * CODE.length)];
    let paste;
    if (roll < SECRET_LINES / 2) line = `const password = "${Array.from({ length: 14 }, () => ALNUM[Math.floor(random() * 62)]).join('')}";`;
    else if (roll < SECRET_LINES) {
      // Tokens are pasted between typed quotes.
      line = 'const token = "';
      paste = `ghp_${Array.from({ length: 36 }, () => ALNUM[Math.floor(random() * 62)]).join('')}`;
    }
    if (roll >= SECRET_LINES && roll < SECRET_LINES + SECRET_EDITS) {
      // Typing at the end of a line that holds a secret.
      const at = text.indexOf('const apiToken');
      cursor = text.indexOf('\n', at);
      ts += between(300, 2000);
      events.push({ type: 'move', ts, line: text.slice(0, cursor).split('\n').length - 1 });
      line = ' // rotate monthly';
    } else {
      change(cursor, 0, '\n  ', between(80, 300)); // Enter, auto-indented
      cursor += 3;
    }
    if (random() < 0.03) {
      const snippet = `${CODE[0]}\n  ${CODE[1]}\n  ${CODE[2]}`;
      change(cursor, 0, snippet, between(200, 900));
      cursor += snippet.length;
      continue;
    }
    for (const ch of line) {
      if (random() < 0.04) {
        change(cursor, 0, 'q', between(60, 220));
        change(cursor, 1, '', between(150, 400));
      }
      change(cursor, 0, ch, between(60, 220));
      cursor += 1;
      if (keys >= n) break;
    }
    if (paste) {
      change(cursor, 0, paste, between(300, 1200));
      cursor += paste.length;
      for (const ch of '";') {
        change(cursor, 0, ch, between(60, 220));
        cursor += 1;
      }
    }
    if (random() < 0.3) ts += between(2000, 6000);
    if (random() < 0.25) {
      // Jump to the end of another line.
      const lineStarts = [];
      for (let i = text.indexOf('\n'); i !== -1 && lineStarts.length < 2000; i = text.indexOf('\n', i + 1)) lineStarts.push(i);
      cursor = lineStarts[Math.floor(random() * lineStarts.length)];
      ts += between(300, 1500);
      events.push({ type: 'move', ts, line: text.slice(0, cursor).split('\n').length - 1 });
    }
  }
  return events;
}

const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const median = (xs) => percentile(xs, 0.5);
const micros = (t0) => Number(process.hrtime.bigint() - t0) / 1000;
let flat = 0;

/**
 * Feeds the stream: `handle` per event (timed per keystroke), and once per simulated flush
 * interval the timer's work: `close` (CPU: closing bursts, timed apart) then `write` (the disk
 * write, timed apart). The editor's own change to its document is made before the clock starts.
 */
async function drive(stream, handle, close, write) {
  let text = base;
  const keyTimes = [];
  const tickTimes = [];
  let handleUs = 0;
  let closeUs = 0;
  let writeUs = 0;
  let otherChangeUs = 0;
  let moveUs = 0;
  let nextTick = T0 + FLUSH_MS;
  let version = 1;
  const tick = async (at) => {
    let t0 = process.hrtime.bigint();
    close(at);
    const us = micros(t0);
    closeUs += us;
    tickTimes.push(us);
    t0 = process.hrtime.bigint();
    await write();
    writeUs += micros(t0);
  };
  for (const e of stream) {
    while (e.ts >= nextTick) {
      await tick(nextTick);
      nextTick += FLUSH_MS;
    }
    if (e.type === 'change') {
      text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
      // The editor's document is flat, not a string being built: flatten it here (a result that
      // is used, so that the optimiser cannot drop the call), not in the first timed lookup.
      flat += text.indexOf('\n', e.offset);
    }
    const t0 = process.hrtime.bigint();
    handle(e, text, version);
    const us = micros(t0);
    handleUs += us;
    if (e.type === 'change') {
      version += 1;
      if (e.origin === 'typing') keyTimes.push(us);
      else otherChangeUs += us;
    } else moveUs += us;
  }
  await tick(nextTick);
  const ms = (us) => +(us / 1000).toFixed(1);
  // Where the CPU time went: keystrokes, other changes (Enter, pastes), cursor moves, timer closes.
  const split = { keys: ms(handleUs - otherChangeUs - moveUs), otherChanges: ms(otherChangeUs), moves: ms(moveUs), closes: ms(closeUs) };
  return { cpuMs: (handleUs + closeUs) / 1000, writeMs: writeUs / 1000, keyTimes, tickTimes, split };
}

function recorder(path, clock) {
  return new Recorder({ storePath: path, sessionId: newUlid(), contributorId: 'c_0000000000000001', now: () => clock.now });
}

async function baseline(stream, path) {
  const clock = { now: T0 };
  const rec = recorder(path, clock);
  const result = await drive(
    stream,
    (e, _text, version) => {
      clock.now = e.ts;
      if (e.type === 'change') {
        rec.record(
          REPO,
          'edit',
          {
            file: FILE,
            fromVersion: version,
            version: version + 1,
            changes: [{ offset: e.offset, length: e.length, text: e.text, textLength: e.text.length }],
            keystrokes: 1,
            durationMs: 0,
          },
          e.origin,
          e.ts,
        );
      } else rec.record(REPO, 'selection', { file: FILE, kind: 'keyboard', selections: [{ anchor: [e.line, 2], active: [e.line, 2] }] }, 'user', e.ts);
    },
    (at) => {
      clock.now = at;
    },
    () => rec.flush(),
  );
  await rec.dispose();
  return result;
}

async function pipeline(stream, path) {
  const clock = { now: T0 };
  const rec = recorder(path, clock);
  const session = new CaptureSession(rec, {
    flushIntervalMs: 3_600_000, // the bench runs the timer's work itself, on the simulated clock
    idleMs: 30 * 60_000,
    now: () => clock.now,
    sessionInfo: () => ({ policyHash: 'f'.repeat(64), consentAt: 1, captureLevel: 'full', redactionRules: 'x', extensionVersion: '0', vscodeVersion: '0' }),
    redactor: new Redactor(SALT),
    onRedactionError: (err) => {
      throw err;
    },
  });
  const repo = { state: { kind: 'consented', policy: { capture: 'full' } }, isExcluded: excludeMatcher([]) };
  const { redaction: state } = DocumentRedaction.fromText(base, SALT);
  // As editor capture does: a keystroke typed on in an open burst goes to it directly (typeOn).
  let burst;
  const result = await drive(
    stream,
    (e, text, version) => {
      clock.now = e.ts;
      const verdict = gate({ trusted: true, paused: false, repo, relPath: FILE });
      if (!verdict.record) return;
      if (
        e.type === 'change' &&
        e.origin === 'typing' &&
        burst &&
        session.typeOn(burst, { offset: e.offset, length: e.length, text: e.text }, version + 1, e.ts)
      )
        return;
      session.activity(e.ts);
      if (e.type === 'change') {
        burst = session.edit({
          repoId: REPO,
          file: FILE,
          fromVersion: version,
          version: version + 1,
          origin: e.origin,
          ts: e.ts,
          changes: [{ offset: e.offset, length: e.length, text: e.text, textLength: e.text.length }],
          redaction: { state, doc: view(text) },
        });
      } else session.record(REPO, 'selection', { file: FILE, kind: 'keyboard', selections: [{ anchor: [e.line, 2], active: [e.line, 2] }] }, 'user');
    },
    (at) => {
      clock.now = at;
      session.closeBursts();
    },
    () => session.flush(),
  );
  await session.dispose();
  return result;
}

async function bytesUnder(path) {
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += (await stat(join(e.parentPath ?? e.path, e.name))).size;
  return total;
}

const stream = makeStream(N);
const keystrokes = stream.filter((e) => e.type === 'change' && e.origin === 'typing').length;
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
await baseline(stream, join(dir, 'warm-b'));
await pipeline(stream, join(dir, 'warm-p'));
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const b = await baseline(stream, join(dir, `b${r}`));
  const p = await pipeline(stream, join(dir, `p${r}`));
  const round = {
    eventsPerSec: Math.round(stream.length / (p.cpuMs / 1000)),
    baselineEventsPerSec: Math.round(stream.length / (b.cpuMs / 1000)),
    ratio: +(b.cpuMs / p.cpuMs).toFixed(3),
    p50us: +percentile(p.keyTimes, 0.5).toFixed(2),
    p99us: +percentile(p.keyTimes, 0.99).toFixed(2),
    p999us: +percentile(p.keyTimes, 0.999).toFixed(2),
    baselineP50us: +percentile(b.keyTimes, 0.5).toFixed(2),
    baselineP99us: +percentile(b.keyTimes, 0.99).toFixed(2),
    tickP50us: +percentile(p.tickTimes, 0.5).toFixed(1),
    tickP99us: +percentile(p.tickTimes, 0.99).toFixed(1),
    writeMs: +p.writeMs.toFixed(1),
    baselineWriteMs: +b.writeMs.toFixed(1),
    cpuMs: +p.cpuMs.toFixed(1),
    baselineCpuMs: +b.cpuMs.toFixed(1),
    bytesStored: await bytesUnder(join(dir, `p${r}`)),
    baselineBytesStored: await bytesUnder(join(dir, `b${r}`)),
  };
  rounds.push(round);
  line({ bench: 'capture', round: r + 1, ...round, split: p.split, baselineSplit: b.split });
}
const med = Object.fromEntries(Object.keys(rounds[0]).map((k) => [k, median(rounds.map((r) => r[k]))]));
const ratios = rounds.map((r) => r.ratio);
line({
  bench: 'capture',
  summary: `median of ${ROUNDS} rounds`,
  events: stream.length,
  keystrokes,
  secretLines: SECRET_LINES,
  secretEdits: SECRET_EDITS,
  ratioMin: Math.min(...ratios),
  ratioMax: Math.max(...ratios),
  simulatedSeconds: Math.round((stream.at(-1).ts - T0) / 1000),
  ...med,
});
await rm(dir, { recursive: true, force: true });
if (flat === 0.5) process.stdout.write('\n');
