// Redaction engine benchmark: recall and leaks on the secret corpus, untouched share and
// partial-secret suspicion on the ordinary corpus, and findSecrets throughput on ordinary and
// secret lines against baselines measured in the same run (JSON.stringify of the same lines, one
// simple regular-expression scan, and secretlint's recommended preset when it loads). Prints JSON
// lines.
//
//   npm run compile-tests && node bench/redaction.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const engine = require(join(root, 'out/src/core/redact/detectors.js'));
const { findSecrets, findSuspectTokens, mayContainSecretPrefix, redact, REDACTION_RULES_VERSION } = engine;

const corpus = require(join(root, 'out/test/helpers/secretCorpus.js'));
const { covered, occurrences } = corpus;
const samples = corpus.loadSamples();
const blocks = corpus.loadOrdinary();
const ordinary = blocks.flat();
const print = (record) => console.log(JSON.stringify(record));

// ---- quality ---------------------------------------------------------------------------------

{
  let total = 0;
  let whole = 0;
  let noLeak = 0;
  let kindAgrees = 0;
  const byKind = {};
  for (const s of samples) {
    const fs = findSecrets(s.text);
    const out = redact(s.text, 'bench').text.replace(/«[^»]*»/g, '\u0000');
    for (const secret of s.secrets) {
      total++;
      const ok = occurrences(s.text, secret.value).every((at) => covered(fs, at, at + secret.value.length));
      const rest = s.text.split(secret.value).join('\u0000');
      let leak = false;
      for (let i = 0; i + 6 <= secret.value.length && !leak; i++) {
        const piece = secret.value.slice(i, i + 6);
        leak = out.includes(piece) && !rest.includes(piece);
      }
      whole += ok ? 1 : 0;
      noLeak += leak ? 0 : 1;
      const at = s.text.indexOf(secret.value);
      if (ok && fs.some((f) => f.kind === secret.kind && f.start <= at && f.end > at)) kindAgrees++;
      const k = (byKind[secret.kind] ??= { n: 0, found: 0 });
      k.n++;
      k.found += ok && !leak ? 1 : 0;
    }
  }
  print({
    metric: 'recall',
    samples: samples.length,
    secrets: total,
    kinds: Object.keys(byKind).length,
    recall: whole / total,
    noLeak: noLeak / total,
    kindAgreement: kindAgrees / total,
  });
  const weak = Object.entries(byKind).filter(([, v]) => v.found < v.n);
  if (weak.length) print({ metric: 'recall-misses', byKind: Object.fromEntries(weak) });
}

{
  const touched = ordinary.filter((l) => findSecrets(l).length > 0);
  const byKind = {};
  for (const l of touched) for (const f of findSecrets(l)) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  let fileTouched = 0;
  for (const block of blocks) {
    const text = block.join('\n');
    const fs = findSecrets(text);
    let at = 0;
    for (const line of block) {
      if (fs.some((f) => f.start < at + line.length && f.end > at)) fileTouched++;
      at += line.length + 1;
    }
  }
  const suspected = ordinary.filter((l) => mayContainSecretPrefix(l)).length;
  print({
    metric: 'ordinary',
    lines: ordinary.length,
    untouchedShare: 1 - touched.length / ordinary.length,
    untouchedShareWholeFiles: 1 - fileTouched / ordinary.length,
    touchedByKind: byKind,
    suspectLineRate: suspected / ordinary.length,
    suspectTokenCount: ordinary.reduce((n, l) => n + findSuspectTokens(l).length, 0),
  });
}

{
  const { cuts, held } = corpus.partialSecretsHeld(samples);
  print({ metric: 'typing', partialSecrets: cuts, heldBack: held / cuts });
}

// ---- speed -----------------------------------------------------------------------------------

function timeLines(fn, lines, passes = 5) {
  for (let i = 0; i < 2; i++) for (const l of lines) fn(l);
  const each = [];
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) {
    for (const l of lines) {
      const s = process.hrtime.bigint();
      fn(l);
      each.push(Number(process.hrtime.bigint() - s));
    }
  }
  const totalNs = Number(process.hrtime.bigint() - t0);
  each.sort((a, b) => a - b);
  const q = (p) => each[Math.min(each.length - 1, Math.floor(each.length * p))] / 1000;
  const calls = lines.length * passes;
  return {
    linesPerSecond: Math.round(calls / (totalNs / 1e9)),
    usPerLineMean: +(totalNs / calls / 1000).toFixed(3),
    usPerLineP50: +q(0.5).toFixed(3),
    usPerLineP99: +q(0.99).toFixed(3),
  };
}

const typical = ordinary.filter((l) => l.length >= 60 && l.length <= 100);
const secretLines = samples.flatMap((s) => s.text.split('\n')).filter((l) => l.length > 0);
const simple = /ghp_|AKIA|sk-|xox[abpr]-|-----BEGIN|password|secret|token|@/i;

let secretlint;
try {
  const { rules } = require('@secretlint/secretlint-rule-preset-recommend');
  let reports = [];
  const handlers = rules.map((r) => r.create({ createTranslator: () => (id) => id, report: (d) => reports.push(d), ignore: () => {} }, {}));
  secretlint = (text) => {
    reports = [];
    const source = { content: text, filePath: 'x.txt', ext: '.txt', contentType: 'text' };
    for (const h of handlers) h.file?.(source);
    return reports;
  };
} catch {
  secretlint = undefined;
}

for (const [corpus, lines] of [
  ['ordinary', ordinary],
  ['ordinary-60-100-chars', typical],
  ['secret-lines', secretLines],
]) {
  const ours = timeLines(findSecrets, lines);
  const json = timeLines(JSON.stringify, lines);
  const regex = timeLines((l) => simple.test(l), lines);
  const record = {
    metric: 'speed',
    corpus,
    lines: lines.length,
    findSecrets: ours,
    mayContainSecretPrefix: timeLines(mayContainSecretPrefix, lines),
    baselineJsonStringify: json,
    baselineOneRegex: regex,
    ratioToJsonStringify: +(ours.usPerLineMean / json.usPerLineMean).toFixed(1),
    ratioToOneRegex: +(ours.usPerLineMean / regex.usPerLineMean).toFixed(1),
  };
  if (secretlint) {
    const sl = timeLines(secretlint, lines, 2);
    record.baselineSecretlintPreset = sl;
    record.ratioToSecretlintPreset = +(ours.usPerLineMean / sl.usPerLineMean).toFixed(2);
  }
  print(record);
}

{
  const text = blocks.map((b) => b.join('\n')).join('\n');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 3; i++) findSecrets(text);
  const s = Number(process.hrtime.bigint() - t0) / 1e9 / 3;
  print({ metric: 'speed-whole-text', bytes: text.length, seconds: +s.toFixed(4), megabytesPerSecond: +(text.length / 1e6 / s).toFixed(1) });
}
// ---- command-argument secrets (generated corpus: test/helpers/commandCorpus.ts) ---------------

{
  const commands = require(join(root, 'out/test/helpers/commandCorpus.js'));
  const secretLines = commands.commandSecretSamples();
  const ordinaryLines = commands.ordinaryCommands();
  let total = 0;
  let found = 0;
  const byShell = {};
  for (const s of secretLines) {
    const fs = findSecrets(s.text);
    const out = redact(s.text, 'bench').text;
    for (const v of s.secrets) {
      total++;
      const ok = occurrences(s.text, v).every((at) => covered(fs, at, at + v.length)) && !out.includes(v);
      found += ok ? 1 : 0;
      const b = (byShell[s.shell] ??= { n: 0, found: 0 });
      b.n++;
      b.found += ok ? 1 : 0;
    }
  }
  // E-mail-shaped ssh targets (deploy@host.example) are personal data, redacted by design.
  const personal = new Set(['email', 'home-path']);
  const touched = ordinaryLines.filter((l) => findSecrets(l).some((f) => !personal.has(f.kind))).length;
  const touchedAny = ordinaryLines.filter((l) => findSecrets(l).length > 0).length;
  print({
    metric: 'command-arguments',
    secretLines: secretLines.length,
    secrets: total,
    recall: +(found / total).toFixed(4),
    byShell,
    ordinaryLines: ordinaryLines.length,
    ordinaryUntouched: +(1 - touched / ordinaryLines.length).toFixed(4),
    ordinaryWithoutAnyFinding: +(1 - touchedAny / ordinaryLines.length).toFixed(4),
  });
}
print({ metric: 'rules', version: REDACTION_RULES_VERSION, fingerprint: engine.rulesFingerprint() });
