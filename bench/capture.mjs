// The capture pipeline per keystroke (gate, redaction of the touched line, coalescing, redaction
// of the event, serialising, buffering, and the timed flushes) against a baseline that only
// serialises and appends the same events, measured in the same run.
// Usage: npm run compile-tests && node bench/capture.mjs [keystrokes]
import { mkdtemp, rm, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = (p) => require(join(process.cwd(), 'out', p));
const { CaptureSession } = out('src/core/capture/captureSession.js');
const { Recorder } = out('src/core/recorder.js');
const { gate } = out('src/core/gate.js');
const { excludeMatcher } = out('src/core/exclusions.js');
const { canonicalRedact } = out('src/core/redact/canonical.js');
const { DocumentRedaction } = out('src/core/redact/documentRedaction.js');
const { SegmentWriter } = out('src/core/store/segmentWriter.js');
const { newUlid } = out('src/core/ids.js');

const N = Number(process.argv[2] ?? 20000);
const SALT = 'bench-salt';
const REPO = 'r_00000000000000aa';
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-capture-'));

// A realistic source file, and keystrokes typing code into it line after line.
const base = Array.from({ length: 300 }, (_, i) => `  const value${i} = compute(items[${i}], options); // step ${i}`).join('\n') + '\n';
const typed = "  if (result.ok && result.items.length > 0) { return result.items.map((x) => x.id); }\n";
function* keystrokes(n) {
  let offset = base.length / 2;
  offset = base.indexOf('\n', offset) + 1;
  for (let i = 0; i < n; i++) {
    const ch = typed[i % typed.length];
    yield { offset, text: ch };
    offset += 1;
  }
}

function view(text) {
  return {
    length: text.length,
    slice: (s, e) => text.slice(s, e),
    lineStart: (o) => (o > 0 ? text.lastIndexOf('\n', o - 1) + 1 : 0),
    lineEnd: (o) => { const nl = text.indexOf('\n', o); return nl === -1 ? text.length : nl; },
  };
}

const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function pipeline() {
  const recorder = new Recorder({ storePath: join(dir, 'pipeline'), sessionId: newUlid(), contributorId: 'c_0000000000000001' });
  const session = new CaptureSession(recorder, {
    flushIntervalMs: 1000, idleMs: 30 * 60_000,
    sessionInfo: () => ({ policyHash: 'f'.repeat(64), consentAt: 1, captureLevel: 'full', redactionRules: 'x', extensionVersion: '0', vscodeVersion: '0' }),
    redactText: (t) => canonicalRedact(t, SALT).text,
  });
  const repo = { state: { kind: 'consented', policy: { capture: 'full' } }, isExcluded: excludeMatcher([]) };
  let text = base;
  const { redaction } = DocumentRedaction.fromText(text, SALT);
  let version = 1;
  const times = [];
  const start = process.hrtime.bigint();
  let i = 0;
  for (const k of keystrokes(N)) {
    const t0 = process.hrtime.bigint();
    const verdict = gate({ trusted: true, paused: false, repo, relPath: 'src/app.ts' });
    if (verdict.record) {
      text = text.slice(0, k.offset) + k.text + text.slice(k.offset);
      const changes = redaction.transform([{ offset: k.offset, length: 0, text: k.text }], view(text));
      session.edit({ repoId: REPO, file: 'src/app.ts', fromVersion: version, version: version + 1, origin: 'typing', ts: Date.now(),
        changes: changes.map((c) => ({ ...c, textLength: c.text.length })) });
      version += 1;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    // Every 50 keystrokes a cursor move, as navigation interleaves with typing.
    if (++i % 50 === 0) session.record(REPO, 'selection', { file: 'src/app.ts', kind: 'keyboard', selections: [{ anchor: [1, 1], active: [1, 1] }] }, 'user');
  }
  await session.dispose();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, times };
}

async function baseline() {
  const writer = new SegmentWriter({ dir: join(dir, 'baseline', REPO), sessionId: newUlid() });
  const times = [];
  const start = process.hrtime.bigint();
  let version = 1;
  for (const k of keystrokes(N)) {
    const t0 = process.hrtime.bigint();
    writer.append(JSON.stringify({ v: 1, id: newUlid(), ts: Date.now(), kind: 'edit', data: { file: 'src/app.ts', version: ++version, changes: [{ offset: k.offset, length: 0, text: k.text }] } }));
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  await writer.close();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, times };
}

async function bytesUnder(path) {
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true, recursive: true })) if (e.isFile()) total += (await stat(join(e.parentPath ?? e.path, e.name))).size;
  return total;
}

// Warm up both paths once, then measure.
await baseline();
await pipeline();
await rm(dir, { recursive: true, force: true });
const b = await baseline();
const p = await pipeline();
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
line({ bench: 'capture', measure: 'baseline: serialise + append', keystrokes: N, eventsPerSec: Math.round(N / (b.ms / 1000)), p50us: +percentile(b.times, 0.5).toFixed(2), p99us: +percentile(b.times, 0.99).toFixed(2) });
line({ bench: 'capture', measure: 'pipeline: gate + redact + coalesce + serialise + append', keystrokes: N, eventsPerSec: Math.round(N / (p.ms / 1000)), p50us: +percentile(p.times, 0.5).toFixed(2), p99us: +percentile(p.times, 0.99).toFixed(2), throughputRatio: +(b.ms / p.ms).toFixed(3), storedBytes: await bytesUnder(join(dir, 'pipeline')), baselineBytes: await bytesUnder(join(dir, 'baseline')) });
await rm(dir, { recursive: true, force: true });
