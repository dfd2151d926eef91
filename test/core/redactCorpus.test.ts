// The redaction engine measured on its corpora: recall on generated secrets in realistic
// contexts, untouched share of ordinary text from installed packages, partial-secret suspicion on
// both. The thresholds are the done-criterion; `bench/redaction.mjs` prints the same numbers.
import { strict as assert } from 'node:assert';
import { findSecrets, mayContainSecretPrefix, redact } from '../../src/core/redact/detectors';
import { buildOrdinary, covered, loadOrdinary, loadSamples, occurrences, partialSecretsHeld, pinnedOrdinaryFigures } from '../helpers/secretCorpus';

/** 6-character pieces of `secret` still readable after redaction (pieces found elsewhere in the input excepted). */
function leakedPieces(input: string, output: string, secret: string): string[] {
  const rest = input.split(secret).join('\u0000');
  const visible = output.replace(/«[^»]*»/g, '\u0000');
  const leaks: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    if (visible.includes(piece) && !rest.includes(piece)) leaks.push(piece);
  }
  return leaks;
}

describe('redaction corpus', () => {
  const samples = loadSamples();
  const ordinary = loadOrdinary();
  const ordinaryLines = ordinary.flat();

  it('measures the ordinary text it was pinned with (ordinary-sources.json): same blocks, lines and content', () => {
    const { figures } = buildOrdinary();
    assert.deepEqual(figures, pinnedOrdinaryFigures());
    assert.deepEqual([ordinary.length, ordinaryLines.length], [figures.blocks, figures.lines]);
  });

  it('has at least 300 secret samples over 25 kinds and 2,000 ordinary lines', () => {
    assert.ok(samples.length >= 300, `${samples.length} samples`);
    assert.ok(new Set(samples.flatMap((s) => s.secrets.map((x) => x.kind))).size >= 25);
    assert.ok(ordinaryLines.length >= 2000, `${ordinaryLines.length} lines`);
  });

  it('recalls at least 99% of the annotated secrets: wholly found, no 6-character piece left after redact', () => {
    let total = 0;
    const missed: string[] = [];
    const leaked: string[] = [];
    const failed = new Set<string>();
    for (const s of samples) {
      const findings = findSecrets(s.text);
      const out = redact(s.text, 'corpus-salt').text;
      for (const secret of s.secrets) {
        total++;
        const whole = occurrences(s.text, secret.value).every((at) => covered(findings, at, at + secret.value.length));
        const pieces = leakedPieces(s.text, out, secret.value);
        if (!whole) missed.push(`#${s.id} ${secret.kind} (${s.context})`);
        if (pieces.length > 0) leaked.push(`#${s.id} ${secret.kind}: ${pieces.length} pieces`);
        if (!whole || pieces.length > 0) failed.add(`${s.id}\u0000${secret.value}`);
      }
    }
    const recall = 1 - failed.size / total;
    assert.ok(recall >= 0.99, `recall ${recall.toFixed(4)}; missed: ${missed.join(', ')}; leaked: ${leaked.join(', ')}`);
  });

  it('leaves at least 99.5% of ordinary lines untouched, line by line and file by file', () => {
    const touchedLines = ordinaryLines.filter((line) => findSecrets(line).length > 0);
    const lineShare = 1 - touchedLines.length / ordinaryLines.length;
    assert.ok(lineShare >= 0.995, `untouched ${lineShare.toFixed(4)}: ${touchedLines.slice(0, 20).join('\n')}`);

    let touched = 0;
    for (const block of ordinary) {
      const text = block.join('\n');
      const findings = findSecrets(text);
      let at = 0;
      for (const line of block) {
        if (findings.some((f) => f.start < at + line.length && f.end > at)) touched++;
        at += line.length + 1;
      }
    }
    const fileShare = 1 - touched / ordinaryLines.length;
    assert.ok(fileShare >= 0.995, `untouched in whole files ${fileShare.toFixed(4)}`);
  });

  it('suspects a partial secret on at most 0.2% of ordinary lines', () => {
    const suspected = ordinaryLines.filter((line) => mayContainSecretPrefix(line));
    assert.ok(suspected.length / ordinaryLines.length <= 0.002, `suspected: ${suspected.slice(0, 20).join('\n')}`);
  });

  it('holds back most secrets while they are being typed', () => {
    // Type each secret character by character (cut at a few points, the document up to the
    // cursor): the typed part must be found, be a suspect token, or make the line suspect.
    const { cuts, held } = partialSecretsHeld(samples);
    assert.ok(held / cuts >= 0.97, `held ${held} of ${cuts} partial secrets`);
  });
});
