// `codetrail audit`: a second line of defence. Scans every file of a store (or an export folder)
// with every detector again and fails when anything looks like a secret. Each file gets its own
// report; one unreadable file never stops the others. It never prints the secret itself.
import { Command } from 'commander';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { findRealSecrets } from '../core/redact/canonical';
import { fileLines, sniff, type FileFormat } from './auditSources';
import { EXIT, errorReport, inputError } from './exit';
import { jsonOption, storeOption } from './options';
import { printJson } from './print';
import { locateStore } from './storeLocation';

export interface AuditFinding {
  file: string;
  line: number;
  kind: string;
  /** The first and last characters only, so the report itself leaks nothing. */
  preview: string;
}

export interface AuditFileReport {
  file: string;
  format: FileFormat | 'link' | 'other';
  status: 'clean' | 'findings' | 'unreadable' | 'skipped';
  lineCount: number;
  findingCount: number;
  problem: string | null;
}

export interface AuditReport {
  path: string;
  fileCount: number;
  lineCount: number;
  findings: AuditFinding[];
  files: AuditFileReport[];
}

/** Every entry under `dir` except folders; links are listed, never followed. */
async function* entries(dir: string): AsyncGenerator<{ path: string; kind: 'file' | 'link' | 'other' }> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* entries(path);
    else yield { path, kind: entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other' };
  }
}

/** JSON escapes would hide a secret's shape (\n inside a key block): the decoded text is scanned too. */
function unescapeJson(text: string): string {
  return text.includes('\\') ? text.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\') : text;
}

export function preview(value: string): string {
  return `${value.slice(0, 2)}…${value.slice(-2)} (${value.length} chars)`;
}

export async function auditFolder(dir: string): Promise<AuditReport> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info) throw inputError(`nothing to audit at ${dir}`);
  if (!info.isDirectory() && !info.isSymbolicLink()) throw inputError(`${dir} is a file: give a store or export folder`);
  const report: AuditReport = { path: dir, fileCount: 0, lineCount: 0, findings: [], files: [] };
  for await (const { path, kind } of entries(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    report.fileCount += 1;
    if (kind !== 'file') {
      report.files.push({
        file: name,
        format: kind,
        status: 'skipped',
        lineCount: 0,
        findingCount: 0,
        problem: kind === 'link' ? 'a symbolic link: not followed' : 'not a regular file',
      });
      continue;
    }
    const file: AuditFileReport = { file: name, format: 'text', status: 'clean', lineCount: 0, findingCount: 0, problem: null };
    report.files.push(file);
    try {
      file.format = await sniff(path);
      for await (const { line, text, object } of fileLines(path, file.format)) {
        file.lineCount += 1;
        const decoded = unescapeJson(text);
        for (const f of findRealSecrets(decoded)) {
          file.findingCount += 1;
          const where = object === undefined ? name : `${name} (object ${object})`;
          report.findings.push({ file: where, line, kind: f.kind, preview: preview(decoded.slice(f.start, f.end)) });
        }
      }
    } catch (err) {
      file.status = 'unreadable';
      file.problem = errorReport(err).message.replace(path, name);
    }
    report.lineCount += file.lineCount;
    if (file.status !== 'unreadable' && file.findingCount > 0) file.status = 'findings';
  }
  return report;
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('scan every file of a store or an export again with every detector; exit 1 if anything is found')
    .addOption(storeOption())
    .addOption(jsonOption())
    .action(async (opts: { store?: string; json?: boolean }) => {
      const report = await auditFolder(locateStore(opts.store).path);
      // A file audit could not read (or a link it would not follow) is one it cannot vouch for.
      const unreadable = report.files.filter((f) => f.status === 'unreadable' || f.status === 'skipped');
      if (opts.json) printJson({ ...report, findingCount: report.findings.length, unreadableCount: unreadable.length });
      else {
        for (const f of report.findings) process.stdout.write(`${f.file}:${f.line}: ${f.kind} ${f.preview}\n`);
        for (const f of report.files) if (f.problem) process.stderr.write(`${f.status === 'unreadable' ? 'error' : 'note'}: ${f.file}: ${f.problem}\n`);
        process.stdout.write(
          `${report.findings.length} finding(s) in ${report.lineCount} line(s) of ${report.fileCount} file(s)${unreadable.length ? `; ${unreadable.length} file(s) could not be read` : ''}\n`,
        );
      }
      if (report.findings.length > 0) process.exitCode = EXIT.findings;
      else if (unreadable.length > 0) process.exitCode = EXIT.badInput;
    });
}
