import { Command, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskVerdict, VerifyReport } from '../core/replay/verify';
import { verifyPlannedStore } from '../core/replay/verifyStream';
import { planStore } from '../core/review/taskIndexFile';
import { EXIT, usageError } from './exit';
import { jsonOption, storeOption, taskId } from './options';
import { printJson, warnIssues } from './print';
import { noReadableRecord } from './stats';
import { openStore } from './store';

export function verifyCommand(): Command {
  return new Command('verify')
    .description('replay every task and check that it rebuilds exactly what was committed')
    .addOption(storeOption())
    .option('--repo <path>', 'a clone of the repository: fills in starting content and checks commits against git')
    .addOption(new Option('--task <id...>', 'only these tasks').argParser(taskId))
    .addOption(jsonOption())
    .action(async (opts: { store?: string; repo?: string; task?: string[]; json?: boolean }) => {
      const { path } = await openStore(opts.store);
      if (opts.repo !== undefined) await checkClone(opts.repo);
      const report = await verifyPlannedStore(await planStore(path), { repoPath: opts.repo, tasks: opts.task });
      const missing = (opts.task ?? []).filter((id) => !report.tasks.some((t) => t.task === id));
      if (missing.length > 0) throw usageError(`no task ${missing.join(', ')} in ${path} (\`codetrail tasks\` lists them)`);
      noReadableRecord(report.tasks.length + report.summary.eventsOutsideTasks, report.issues.length, path);
      if (opts.json) printJson(verifyJson(path, report));
      else process.stdout.write(formatVerify(report));
      warnIssues(report.issues, opts.json);
      if (report.summary.diverged > 0) process.exitCode = EXIT.findings;
    });
}

async function checkClone(repo: string): Promise<void> {
  const info = await stat(repo).catch(() => undefined);
  if (!info?.isDirectory()) throw usageError(`--repo ${repo}: no such folder`);
  if (!(await stat(join(repo, '.git')).catch(() => undefined))) throw usageError(`--repo ${repo} is not a git clone (no .git in it)`);
}

function verdictJson(t: TaskVerdict) {
  return {
    task: t.task,
    title: t.title,
    repo: t.repo,
    status: t.status,
    eventCount: t.events,
    commitCount: t.commits,
    checks: { saveCount: t.checks.saves, commitFileCount: t.checks.commitFiles },
    divergence: t.divergence ?? null,
    unverified: t.unverified,
  };
}

export function verifyJson(store: string, report: VerifyReport) {
  const s = report.summary;
  return {
    store,
    tasks: report.tasks.map(verdictJson),
    summary: {
      taskCount: s.tasks,
      exactCount: s.exact,
      divergedCount: s.diverged,
      unverifiedCount: s.unverified,
      noCommitsCount: s['no-commits'],
      eventsOutsideTasksCount: s.eventsOutsideTasks,
    },
    issues: report.issues,
  };
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
  out.push(
    '',
    `${s.tasks} task(s): ${s.exact} exact, ${s.diverged} diverged, ${s.unverified} unverified, ${s['no-commits']} without commits; ${s.eventsOutsideTasks} event(s) outside any task`,
  );
  return out.join('\n') + '\n';
}
