// `codetrail redact`: standard input to standard output with secrets and personal data replaced.
// Only the redacted spans change: line endings (CRLF or LF), blank lines and the presence or
// absence of a final newline are kept byte for byte.
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { applyPlaceholders, canonicalFindings } from '../core/redact/canonical';
import { findSecrets } from '../core/redact/detectors';
import { inputError } from './exit';
import { jsonOption } from './options';
import { printJson } from './print';

/** Lines of a byte stream with their own line ending (`\n`, `\r\n` or none at the very end). */
async function* linesWithEndings(input: AsyncIterable<Buffer>): AsyncGenerator<{ body: string; eol: string }> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    rest = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let nl: number;
    while ((nl = rest.indexOf(10)) !== -1) {
      const line = rest.subarray(0, nl);
      rest = rest.subarray(nl + 1);
      const cr = line.length > 0 && line[line.length - 1] === 13;
      yield { body: line.subarray(0, cr ? -1 : undefined).toString('utf8'), eol: cr ? '\r\n' : '\n' };
    }
  }
  if (rest.length) yield { body: rest.toString('utf8'), eol: '' };
}

export function redactCommand(): Command {
  return new Command('redact')
    .description('redact secrets and personal data from standard input to standard output (only the redacted spans change)')
    .option('--jsonl', 'each input line is a JSON object with a "text" field; each output line adds "findings"')
    .option('--salt <salt>', 'salt for the placeholders: the same salt gives the same placeholder for the same secret across runs (default: random per run)')
    .option('--partial', 'also redact what looks like the beginning of a secret, as the editor does while you type')
    .addOption(jsonOption())
    .action(async (opts: { jsonl?: boolean; salt?: string; partial?: boolean; json?: boolean }) => {
      const salt = opts.salt ?? randomBytes(16).toString('hex');
      const redactOne = (text: string) => {
        const findings = opts.partial ? canonicalFindings(text) : findSecrets(text);
        return { text: applyPlaceholders(text, findings, salt).text, findings: findings.map(({ kind, start, end }) => ({ kind, start, end })) };
      };
      const input = process.stdin as AsyncIterable<Buffer>;
      if (!opts.jsonl) {
        // The whole input at once: a private-key block spans lines.
        const chunks: Buffer[] = [];
        for await (const chunk of input) chunks.push(chunk);
        const result = redactOne(Buffer.concat(chunks).toString('utf8'));
        if (opts.json) printJson(result);
        else process.stdout.write(result.text);
        return;
      }
      let lineNo = 0;
      for await (const { body, eol } of linesWithEndings(input)) {
        lineNo += 1;
        if (body.trim() === '') {
          process.stdout.write(body + eol);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(body);
        } catch (err) {
          throw inputError(`standard input line ${lineNo}: not JSON (${(err as Error).message})`);
        }
        if (typeof value !== 'object' || value === null || typeof (value as { text?: unknown }).text !== 'string') {
          throw inputError(`standard input line ${lineNo}: expected an object with a string "text" field`);
        }
        const { text, findings } = redactOne((value as { text: string }).text);
        process.stdout.write(JSON.stringify({ ...value, text, findings }) + eol);
      }
    });
}
