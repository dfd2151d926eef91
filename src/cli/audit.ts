// `codetrail audit`: a second line of defence. Scans a store (or an export folder) with every
// detector again and fails when anything looks like a secret. It never prints the secret itself.
import { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { CodetrailError } from '../core/errors';
import { findRealSecrets } from '../core/redact/canonical';
import { EXIT } from './exit';

export interface AuditFinding {
  file: string;
  line: number;
  kind: string;
  /** The first and last characters only, so the report itself leaks nothing. */
  preview: string;
}

const SCANNED = /\.(jsonl|json|csv|md|txt|tsv)(\.gz)?$/;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (SCANNED.test(entry.name)) yield path;
  }
}

export async function auditFolder(dir: string): Promise<{ files: number; lines: number; findings: AuditFinding[] }> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CodetrailError('bad-input', `no folder at ${dir}`);
  const report = { files: 0, lines: 0, findings: [] as AuditFinding[] };
  for await (const path of files(dir)) {
    report.files += 1;
    const input = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
    let lineNo = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      lineNo += 1;
      report.lines += 1;
      // JSON escapes would hide a secret's shape (\n inside a key block): scan the decoded text too.
      const decoded = text.includes('\\') ? text.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\') : text;
      for (const f of findRealSecrets(decoded)) {
        const value = decoded.slice(f.start, f.end);
        report.findings.push({ file: relative(dir, path), line: lineNo, kind: f.kind, preview: `${value.slice(0, 2)}…${value.slice(-2)} (${value.length} chars)` });
      }
    }
  }
  return report;
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('scan a store or an export again with every detector; exit 1 if anything is found')
    .requiredOption('--store <dir>', 'a store or export folder')
    .option('--json', 'print one JSON report')
    .action(async (opts: { store: string; json?: boolean }) => {
      const report = await auditFolder(opts.store);
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        for (const f of report.findings) process.stdout.write(`${f.file}:${f.line}: ${f.kind} ${f.preview}\n`);
        process.stdout.write(`${report.findings.length} finding(s) in ${report.lines} line(s) of ${report.files} file(s)\n`);
      }
      if (report.findings.length > 0) process.exitCode = EXIT.findings;
    });
}
