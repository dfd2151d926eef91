// The redaction corpora and the measures taken on them, shared by test/core/redactCorpus.test.ts
// (which asserts the thresholds) and bench/redaction.mjs (which prints the numbers).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets, findSuspectTokens, mayContainSecretPrefix, type Finding } from '../../src/core/redact/detectors';

const fixtures = join(__dirname, '../../../test/fixtures/secrets');

export interface Sample {
  id: number;
  kind: string;
  context: string;
  text: string;
  secrets: Array<{ value: string; kind: string }>;
}

export function loadSamples(): Sample[] {
  return readFileSync(join(fixtures, 'secrets.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Sample);
}

export interface OrdinaryFigures {
  blocks: number;
  lines: number;
  sha256: string;
}

let ordinary: { figures: OrdinaryFigures; blocks: string[][] } | undefined;

/**
 * The ordinary corpus, built from the installed packages by fixtures/secrets/ordinary.mjs (which
 * refuses versions other than the pinned ones): its figures, and its lines per source file.
 */
export function buildOrdinary(): { figures: OrdinaryFigures; blocks: string[][] } {
  ordinary ??= JSON.parse(execFileSync(process.execPath, [join(fixtures, 'ordinary.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    figures: OrdinaryFigures;
    blocks: string[][];
  };
  return ordinary;
}

/** The figures the corpus was pinned with (ordinary-sources.json). */
export function pinnedOrdinaryFigures(): OrdinaryFigures {
  return (JSON.parse(readFileSync(join(fixtures, 'ordinary-sources.json'), 'utf8')) as { expected: OrdinaryFigures }).expected;
}

/** The ordinary corpus as blocks (one per source file) of lines. */
export function loadOrdinary(): string[][] {
  return buildOrdinary().blocks;
}

export function occurrences(text: string, value: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) at.push(i);
  return at;
}

export function covered(findings: readonly Finding[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!findings.some((f) => f.start <= i && i < f.end)) return false;
  return true;
}

/**
 * Types each secret of the corpus up to a few cut points (8 characters, half, all but one) and
 * counts the cuts where the typed part is found, is a suspect token, or makes its line suspect.
 */
export function partialSecretsHeld(samples: readonly Sample[]): { cuts: number; held: number } {
  let cuts = 0;
  let held = 0;
  for (const s of samples) {
    for (const secret of s.secrets) {
      if (secret.kind === 'email' || secret.kind === 'home-path') continue;
      const at = s.text.indexOf(secret.value);
      const n = secret.value.length;
      for (const k of new Set([8, Math.floor(n / 2), n - 1])) {
        if (k <= 0 || k >= n) continue;
        cuts++;
        const doc = s.text.slice(0, at + k);
        const lineStart = doc.lastIndexOf('\n') + 1;
        const line = doc.slice(lineStart);
        const shift = (fs: Finding[]): Finding[] => fs.map((f) => ({ ...f, start: f.start + lineStart, end: f.end + lineStart }));
        const found = [...findSecrets(doc), ...findSuspectTokens(doc), ...shift(findSecrets(line)), ...shift(findSuspectTokens(line))];
        if (covered(found, Math.max(at, lineStart), at + k) || mayContainSecretPrefix(line)) held++;
      }
    }
  }
  return { cuts, held };
}
