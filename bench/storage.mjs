// Bytes on disk per hour of active coding. The core pipeline the extension runs (CaptureSession,
// EditCoalescer, redaction, Recorder, SegmentWriter with its gzip on close) is driven by one
// scripted hour on a simulated clock, with events shaped as the capture adapters make them; the
// session's timed flush (every 1 s, which also closes the open typing burst) runs on that clock.
// Baseline from the same run: the same events serialised one per line with no coalescing, no
// envelope and no compression (what a naive keystroke logger would write).
//
// The hour (assumptions, deliberately on the busy side of "active coding"):
//  - 6,000 keystrokes in 300 bursts of 20 (about 100 words per minute of code at 150 ms
//    a key), 8% of them backspaces, separated by pauses of 2–10 s; 5 source files of 150–400 lines;
//  - 60 file switches (editor.focus; each file opened once, a buffer snapshot at its first edit);
//  - 900 selection events (a click or a keyboard move every 4 s, after the adapter's throttle) and
//    600 viewport events (scrolling);
//  - 120 saves; 100 diagnostics updates;
//  - 30 terminal commands with about 1.5 KB of output each (git status, ls, grep), 10 test runs
//    (`npm test`, node:test TAP output, about 3 KB each, half failing), output kept (terminalOutput);
//  - one task started and ended, 3 commits with the diff from the task's base (about 3 KB each).
// Usage: npm run compile-tests && node bench/storage.mjs
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const out = (p) => require(join(process.cwd(), 'out', p));
const { CaptureSession } = out('src/core/capture/captureSession.js');
const { Recorder } = out('src/core/capture/recorder.js');
const { Redactor } = out('src/core/redact/storeRedactor.js');
const { DocumentRedaction, stringDocument: view } = out('src/core/redact/documentRedaction.js');
const { gitBlobId } = out('src/core/base/hash.js');
const { newUlid } = out('src/core/base/ids.js');
const { OutputCollector } = out('src/core/terminal/outputCollector.js');
const { testRunFromTerminal } = out('src/core/testRuns/fromTerminal.js');

const SALT = 'bench-salt';
const REPO = 'r_00000000000000aa';
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0); // the simulated hour starts here
const FLUSH_MS = 1000; // codetrail.flushIntervalMs default
const STORED_OUTPUT_BYTES = 16 * 1024; // as terminalCapture.ts

// Deterministic pseudo-random numbers, so every run records the same hour.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const between = (a, b) => a + Math.floor(rand() * (b - a + 1));

const CODE_LINES = [
  '  const result = await fetchItems(client, { page, pageSize: 50 });',
  '  if (!result.ok) throw new Error(`fetch failed: ${result.status}`);',
  '  for (const item of result.items) totals.set(item.id, (totals.get(item.id) ?? 0) + item.amount);',
  '  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);',
  '  // Keep the first error: later ones are usually caused by it.',
];
const sourceFile = (n, lines) =>
  Array.from({ length: lines }, (_, i) =>
    i % 12 === 0 ? `export async function step${n}_${i}(client, page, limit) {` : CODE_LINES[(i + n) % CODE_LINES.length],
  ).join('\n') + '\n';
const TYPED = CODE_LINES.join('\n') + '\n';

const tapOutput = (failing) => {
  const lines = ['TAP version 13'];
  for (let i = 1; i <= 24; i++) {
    const fail = failing && i % 8 === 0;
    lines.push(`# Subtest: totals case ${i}`, `${fail ? 'not ok' : 'ok'} ${i} - totals case ${i}`, '  ---', `  duration_ms: ${(rand() * 20).toFixed(3)}`);
    if (fail)
      lines.push(
        "  location: '/home/dev/project/test/totals.test.js:42:3'",
        '  failureType: testCodeFailure',
        '  error: |-',
        '    Expected values to be strictly equal:',
        '    3 !== 4',
        '  code: ERR_ASSERTION',
      );
    lines.push('  ...');
  }
  lines.push('1..24', '# tests 24', `# pass ${failing ? 21 : 24}`, `# fail ${failing ? 3 : 0}`, '# duration_ms 412.5');
  return lines.join('\n') + '\n';
};
const shellOutput = (i) =>
  Array.from({ length: 30 }, (_, k) => ` M src/module${(i + k) % 40}/component${k}.js   | ${between(1, 40)} ${'+'.repeat(between(1, 12))}`).join('\n') + '\n';
const baseDiff = (n) =>
  `diff --git a/src/file${n}.js b/src/file${n}.js\nindex 1111111..2222222 100644\n--- a/src/file${n}.js\n+++ b/src/file${n}.js\n` +
  Array.from({ length: 40 }, (_, k) => `${k % 3 ? '+' : '-'}${CODE_LINES[k % CODE_LINES.length]}`).join('\n') +
  '\n';

/** Records the hour through `sink` (the real pipeline, or the naive baseline). */
async function hour(sink) {
  const files = Array.from({ length: 5 }, (_, n) => ({
    name: `src/file${n}.js`,
    text: sourceFile(n, between(150, 400)),
    version: 1,
    opened: false,
    known: false,
    redaction: null,
  }));
  const counts = { keystrokes: 0, selections: 0, viewports: 0, saves: 0, diagnostics: 0, terminal: 0, tests: 0, commits: 0, switches: 0 };
  let t = T0;
  let nextFlush = T0 + FLUSH_MS;
  // Everything the session's timer would have done up to `to`, then move the clock.
  const advance = async (ms) => {
    const to = t + ms;
    while (nextFlush <= to) {
      t = nextFlush;
      await sink.tick(t);
      nextFlush += FLUSH_MS;
    }
    t = to;
  };
  const now = () => t;
  await sink.start(now);
  sink.startTask(t);
  let file = files[0];
  let typedAt = 0;
  const BURSTS = 300;
  for (let b = 0; b < BURSTS; b++) {
    // File switches: 60 over the hour.
    if (b % 5 === 0) {
      file = files[between(0, files.length - 1)];
      counts.switches++;
      if (!file.opened) sink.record(t, 'file.open', { file: file.name, languageId: 'javascript', lineCount: file.text.split('\n').length });
      file.opened = true;
      sink.record(t, 'editor.focus', { file: file.name });
    }
    // Navigation before typing: 3 selections, 2 viewports per burst.
    for (let k = 0; k < 3; k++) {
      await advance(between(400, 1500));
      sink.record(t, 'selection', {
        file: file.name,
        kind: k % 2 ? 'mouse' : 'keyboard',
        selections: [{ anchor: [between(0, 300), between(0, 60)], active: [between(0, 300), between(0, 60)] }],
      });
      counts.selections++;
      if (k < 2) {
        sink.record(t, 'viewport', { file: file.name, ranges: [[between(0, 250), between(250, 300)]] });
        counts.viewports++;
      }
    }
    // A burst of 20 keystrokes in a line, 8% backspaces.
    let offset = file.text.indexOf('\n', between(0, file.text.length - 2)) + 1;
    for (let k = 0; k < 20; k++) {
      await advance(between(90, 220));
      const backspace = rand() < 0.08 && offset > 0 && file.text[offset - 1] !== '\n';
      const change = backspace ? { offset: offset - 1, length: 1, text: '' } : { offset, length: 0, text: TYPED[typedAt++ % TYPED.length] };
      sink.edit(t, file, change);
      offset += backspace ? -1 : 1;
      counts.keystrokes++;
    }
    // A save after 2 of 5 bursts (120); diagnostics after 1 of 3 (100).
    if (b % 5 === 1 || b % 5 === 3) {
      sink.record(t, 'file.save', { file: file.name, version: file.version, blob: gitBlobId(file.text) });
      counts.saves++;
    }
    if (b % 3 === 0) {
      sink.record(t, 'diagnostics', {
        file: file.name,
        errors: between(0, 2),
        warnings: between(0, 3),
        items: [
          { line: between(0, 300), character: 4, severity: 'error', message: "Cannot find name 'totls'. Did you mean 'totals'?", source: 'ts', code: '2552' },
        ],
      });
      counts.diagnostics++;
    }
    // Terminal: 30 commands and 10 test runs spread over the hour; 3 commits.
    if (b % 10 === 5) {
      const output = shellOutput(b);
      sink.terminal(t, ['git status --short', 'grep -rn totals src', 'ls -la src'][counts.terminal % 3], output, 0);
      await advance(between(300, 1500));
      counts.terminal++;
    }
    if (b % 30 === 29) {
      const failing = counts.tests % 2 === 0;
      sink.terminal(t, 'npm test', tapOutput(failing), failing ? 1 : 0);
      counts.tests++;
      await advance(between(2000, 5000));
    }
    if (b === 99 || b === 199 || b === 299) {
      sink.record(t, 'git.commit', {
        sha: 'a'.repeat(40),
        parents: ['b'.repeat(40)],
        branch: 'fix-totals',
        message: 'Sum totals per item id',
        author: 'p_0000000000000000',
        authorTime: t,
        baseDiff: baseDiff(b),
        files: [{ path: file.name, status: 'M', added: 12, deleted: 4, blob: gitBlobId(file.text) }],
      });
      counts.commits++;
    }
    await advance(between(2000, 10000));
  }
  sink.endTask(t);
  await advance(Math.max(0, T0 + HOUR_MS - t));
  return { counts, simulatedMs: t - T0, end: t };
}

/** The extension's pipeline: CaptureSession and Recorder on the simulated clock. */
function pipelineSink(store) {
  let session;
  let clock;
  const sink = {
    async start(now) {
      clock = now;
      const recorder = new Recorder({ storePath: store, sessionId: newUlid(T0), contributorId: 'c_0000000000000001', now });
      session = new CaptureSession(recorder, {
        flushIntervalMs: 3_600_000, // the simulated clock drives flushes (tick), not the real timer
        idleMs: 30 * 60_000,
        now,
        sessionInfo: () => ({
          policyHash: 'f'.repeat(64),
          consentAt: 1,
          captureLevel: 'full',
          redactionRules: 'bench',
          extensionVersion: '0.1.0',
          vscodeVersion: '1.100.3',
        }),
        redactor: new Redactor(SALT),
      });
    },
    async tick(t) {
      session.coalescer.closeIdle(t);
      await session.flush();
    },
    startTask() {
      session.startTask([REPO], {
        title: 'Sum totals per item id',
        description: 'The report shows one line per payment; it should show one per item.',
        auto: false,
        branch: 'fix-totals',
      });
    },
    endTask() {
      session.endTask([REPO], { outcome: 'solved', note: '' });
    },
    record(t, kind, data) {
      session.record(REPO, kind, data, kind === 'diagnostics' ? 'system' : 'user', t);
    },
    edit(t, file, change) {
      const before = file.text;
      file.text = before.slice(0, change.offset) + change.text + before.slice(change.offset + change.length);
      file.version++;
      session.activity(t);
      if (!file.known) {
        // As EditorCapture: the buffer as it was before the first edit, redacted.
        const { redaction, redacted } = DocumentRedaction.fromText(before, SALT);
        file.redaction = redaction;
        session.record(
          REPO,
          'file.snapshot',
          {
            file: file.name,
            target: 'buffer',
            version: file.version - 1,
            text: redacted,
            textLength: redacted.length,
            blob: gitBlobId(redacted),
            reason: 'first-edit',
          },
          'system',
          t,
        );
        file.known = true;
      }
      const changes = file.redaction.transform([change], view(file.text));
      session.edit({
        repoId: REPO,
        file: file.name,
        fromVersion: file.version - 1,
        version: file.version,
        origin: 'typing',
        ts: t,
        changes: changes.map((c) => ({ ...c, textLength: c.text.length })),
      });
    },
    terminal(t, commandLine, text, exitCode) {
      const output = new OutputCollector();
      output.push(text);
      const endTs = t + 800;
      session.record(
        REPO,
        'terminal.command',
        { terminal: 't1', commandLine, confidence: 'high', cwd: '.', startTs: t, endTs, exitCode, output: output.excerpt(STORED_OUTPUT_BYTES) },
        'user',
        t,
      );
      const run = testRunFromTerminal(commandLine, output.text(), exitCode, 800);
      if (run) session.record(REPO, 'test.run', run, 'user', t);
    },
    async close() {
      await session.dispose();
      void clock;
    },
  };
  return sink;
}

/** The naive baseline: every event as one JSON line, keystrokes one by one, no compression. */
function naiveSink(store) {
  const { SegmentWriter } = out('src/core/store/segmentWriter.js');
  // Never rotated, so never compressed.
  const writer = new SegmentWriter({ dir: store, sessionId: newUlid(T0), rotateBytes: 2 ** 40 });
  const put = (ts, kind, data) => writer.append(JSON.stringify({ ts, kind, data }));
  return {
    async start() {},
    async tick() {
      await writer.flush();
    },
    startTask() {},
    endTask() {},
    record: put,
    edit(t, file, change) {
      file.text = file.text.slice(0, change.offset) + change.text + file.text.slice(change.offset + change.length);
      put(t, 'edit', { file: file.name, ...change });
    },
    terminal(t, commandLine, text, exitCode) {
      put(t, 'terminal.command', { commandLine, exitCode, output: text });
    },
    close: () => writer.close(),
  };
}

/** Bytes per event kind in the plain segments, and what gzip (as compressSegment uses it) makes of them. */
async function breakdown(path) {
  const byKind = {};
  let gz = 0;
  for (const e of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
    const bytes = await readFile(join(e.parentPath ?? e.path, e.name));
    gz += gzipSync(bytes).length;
    for (const line of bytes.toString('utf8').split('\n').filter(Boolean)) {
      const kind = JSON.parse(line).kind;
      byKind[kind] ??= { events: 0, bytes: 0 };
      byKind[kind].events++;
      byKind[kind].bytes += Buffer.byteLength(line) + 1;
    }
  }
  return { byKind, gz };
}

async function bytesUnder(path) {
  const by = { plain: 0, gz: 0, files: 0 };
  for (const e of await readdir(path, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!e.isFile()) continue;
    const size = (await stat(join(e.parentPath ?? e.path, e.name))).size;
    by.files++;
    if (e.name.endsWith('.gz')) by.gz += size;
    else by.plain += size;
  }
  return { ...by, total: by.plain + by.gz };
}

const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-storage-'));
try {
  seed = 42;
  const naiveStore = join(dir, 'naive');
  const naive = naiveSink(naiveStore);
  await hour(naive);
  await naive.close();
  seed = 42;
  const store = join(dir, 'pipeline');
  const sink = pipelineSink(store);
  const { counts, simulatedMs, end } = await hour(sink);
  await sink.tick(end);
  const open = await bytesUnder(store); // while the session is open: plain JSONL
  await sink.close();
  const closed = await bytesUnder(store); // after the session ends: segments gzipped
  const naiveBytes = (await bytesUnder(naiveStore)).total;
  const { byKind, gz } = await breakdown(store);
  const perHour = (bytes) => Math.round(bytes / (simulatedMs / HOUR_MS));
  process.stdout.write(
    JSON.stringify({
      bench: 'storage',
      measure: 'bytes on disk per hour of a scripted active-coding hour, core pipeline on a simulated clock',
      simulatedMinutes: Math.round(simulatedMs / 60_000),
      events: counts,
      bytesPerHour: perHour(closed.total),
      bytesPerHourWhileOpen: perHour(open.total),
      baselineBytesPerHour: perHour(naiveBytes),
      ratio: +(closed.total / naiveBytes).toFixed(3),
      targetBytesPerHour: 300 * 1024,
      segments: closed.files,
      compressedSegments: closed.files - (closed.plain > 0 ? 1 : 0),
      // Segments are gzipped only when rotated at 4 MB; an hour stays one plain segment.
      gzippedBytesPerHourIfCompressedOnClose: perHour(gz + closed.gz),
      byKind,
    }) + '\n',
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
