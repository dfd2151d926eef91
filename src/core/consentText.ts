// What the engineer is told before agreeing to record a repository. Plain text so that the
// modal, the webview and the README can share it.
import type { Policy } from './policy';

export function consentSummary(repoName: string, policy: Policy, storePath: string): string {
  const lines = [
    policy.purpose ? `Purpose: ${policy.purpose}` : 'The team that owns this repository opted it in to Codetrail.',
    policy.contact ? `Contact: ${policy.contact}` : '',
    '',
    policy.capture === 'metadata'
      ? 'Recorded: the shape of your work only (positions, sizes, files, commands, exit codes, test and commit outcomes), never code text.'
      : 'Recorded: your edits, cursor moves, files opened, terminal commands and exit codes, test runs, diagnostics and commits, tagged by task.',
    policy.terminalOutput ? 'Terminal output excerpts are kept (secrets removed).' : 'Terminal output is not kept.',
    'Never recorded: other repositories, excluded files (.env, keys, credentials, git-ignored files), anything while paused. Secrets and e-mail addresses are removed before anything reaches disk.',
    '',
    `Stored only on this machine, in ${storePath}, for at most ${policy.retentionDays} days.`,
    'The status bar shows when Codetrail records. Click it to pause, resume or review; you can withdraw consent and delete what was kept at any time.',
    `This consent covers exactly the current policy of ${repoName}; if the policy changes, you will be asked again.`,
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n').trim();
}
