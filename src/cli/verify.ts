import { Command } from 'commander';
import { verifyStore, type VerifyReport } from '../core/replay/verify';
import { EXIT } from './exit';

export function verifyCommand(): Command {
  return new Command('verify')
    .description('replay every task and check that it rebuilds exactly what was committed')
    .requiredOption('--store <dir>', 'the store folder')
    .option('--repo <path>', 'a clone of the repository: fills in starting content and checks commits against git')
    .option('--task <id...>', 'only these tasks')
    .option('--json', 'print one JSON report')
    .action(async (opts: { store: string; repo?: string; task?: string[]; json?: boolean }) => {
      const report = await verifyStore(opts.store, { repoPath: opts.repo, tasks: opts.task });
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatVerify(report));
      for (const issue of report.issues) process.stderr.write(`warning: ${issue.file}:${issue.line}: ${issue.message}\n`);
      if (report.summary.diverged > 0) process.exitCode = EXIT.findings;
    });
}

const MARK = { exact: '✔', diverged: '✘', unverified: '?', 'no-commits': '·' } as const;

export function formatVerify(report: VerifyReport): string {
  const out: string[] = [];
  for (const t of report.tasks) {
    const detail =
      t.status === 'diverged' && t.divergence
        ? `first divergence at ${t.divergence.kind} ${t.divergence.eventId} in ${t.divergence.file}: ${t.divergence.reason}`
        : `${t.commits} commit(s), ${t.checks.commitFiles} committed file(s) and ${t.checks.saves} save(s) checked` +
          (t.unverified.length ? `; not verifiable: ${t.unverified.map((u) => `${u.file} (${u.reason})`).join(', ')}` : '');
    out.push(`${MARK[t.status]} ${t.status.padEnd(10)} ${t.task}  “${t.title}”  ${detail}`);
  }
  const s = report.summary;
  out.push('', `${s.tasks} task(s): ${s.exact} exact, ${s.diverged} diverged, ${s.unverified} unverified, ${s['no-commits']} without commits; ${s.eventsOutsideTasks} event(s) outside any task`);
  return out.join('\n') + '\n';
}
