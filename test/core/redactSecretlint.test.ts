// Parity with secretlint's recommended preset, the rule library Codetrail's vendor rules follow.
// The preset runs file-at-a-time behind an async API, so the engine reimplements its rules as
// synchronous data; this test runs the preset's rules themselves over both corpora and fails if
// secretlint reports anything the engine leaves untouched. A preset upgrade that adds a rule
// shows up here first.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets } from '../../src/core/redact/detectors';
import { loadOrdinary } from '../helpers/secretCorpus';

const fixtures = join(__dirname, '../../../test/fixtures/secrets');

interface Report {
  rule: string;
  range: [number, number];
}
interface SecretlintRule {
  meta: { id: string };
  create(context: unknown, options: unknown): { file?: (source: unknown) => unknown };
}

describe('redaction parity with secretlint', function () {
  let scan: (text: string) => Report[];

  before(function () {
    let rules: SecretlintRule[];
    try {
      // ESM-only package: loads through require() on Node >= 20.19.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      rules = (require('@secretlint/secretlint-rule-preset-recommend') as { rules: SecretlintRule[] }).rules;
    } catch (error) {
      console.warn(`secretlint preset not loadable here: ${String(error)}`);
      this.skip();
    }
    let reports: Report[] = [];
    const handlers = rules.map((rule) =>
      rule.create(
        {
          createTranslator: () => (id: string) => id,
          report: (d: { range: [number, number] }) => reports.push({ rule: rule.meta.id, range: d.range }),
          ignore: () => undefined,
        },
        {},
      ),
    );
    scan = (text) => {
      reports = [];
      const source = { content: text, filePath: 'sample.txt', ext: '.txt', contentType: 'text' };
      for (const handler of handlers) handler.file?.(source);
      return reports;
    };
  });

  it('finds everything secretlint finds in the secret corpus', () => {
    const lines = readFileSync(join(fixtures, 'secrets.jsonl'), 'utf8').split('\n').filter(Boolean);
    const missed: string[] = [];
    let reported = 0;
    for (const line of lines) {
      const { id, text } = JSON.parse(line) as { id: number; text: string };
      const findings = findSecrets(text);
      for (const r of scan(text)) {
        reported++;
        if (!findings.some((f) => f.start < r.range[1] && f.end > r.range[0])) missed.push(`#${id} ${r.rule}: ${text.slice(r.range[0], r.range[1])}`);
      }
    }
    assert.ok(reported > 100, `secretlint reported only ${reported}`);
    assert.deepEqual(missed, []);
  });

  it('finds everything secretlint finds in ordinary text', () => {
    const missed: string[] = [];
    for (const line of loadOrdinary().flat()) {
      const findings = findSecrets(line);
      for (const r of scan(line)) if (!findings.some((f) => f.start < r.range[1] && f.end > r.range[0])) missed.push(`${r.rule}: ${line}`);
    }
    assert.deepEqual(missed, []);
  });
});
