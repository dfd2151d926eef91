import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { CodetrailError } from '../core/errors';
import { applyPlaceholders, canonicalFindings } from '../core/redact/canonical';
import { findSecrets } from '../core/redact/detectors';

export function redactCommand(): Command {
  return new Command('redact')
    .description('redact secrets and personal data from standard input to standard output')
    .option('--jsonl', 'each input line is a JSON object with a "text" field; each output line adds "findings"')
    .option('--salt <salt>', 'salt for the placeholders: the same salt gives the same placeholder for the same secret across runs (default: random per run)')
    .option('--partial', 'also redact what looks like the beginning of a secret, as the editor does while you type')
    .action(async (opts: { jsonl?: boolean; salt?: string; partial?: boolean }) => {
      const salt = opts.salt ?? randomBytes(16).toString('hex');
      const redactOne = (text: string) => {
        const findings = opts.partial ? canonicalFindings(text) : findSecrets(text);
        return { text: applyPlaceholders(text, findings, salt).text, findings };
      };
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      if (!opts.jsonl) {
        // The whole input at once: a private-key block spans lines.
        const all: string[] = [];
        for await (const line of lines) all.push(line);
        if (all.length) process.stdout.write(redactOne(all.join('\n')).text + '\n');
        return;
      }
      let lineNo = 0;
      for await (const line of lines) {
        lineNo += 1;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          throw new CodetrailError('bad-input', `standard input line ${lineNo}: not JSON (${(err as Error).message})`);
        }
        if (typeof value !== 'object' || value === null || typeof (value as { text?: unknown }).text !== 'string') {
          throw new CodetrailError('bad-input', `standard input line ${lineNo}: expected an object with a string "text" field`);
        }
        const { text, findings } = redactOne((value as { text: string }).text);
        process.stdout.write(JSON.stringify({ ...value, text, findings: findings.map(({ kind, start, end }) => ({ kind, start, end })) }) + '\n');
      }
    });
}
