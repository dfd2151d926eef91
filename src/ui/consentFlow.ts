// The consent flow: offering a repository's policy when it asks to be recorded (once per policy
// per window), the consent view to agree or to read again, and withdrawing consent (with or
// without the recordings).
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CaptureSession } from '../core/capture/captureSession';
import type { ConsentLedger } from '../core/gate/consent';
import type { ConsentContext } from '../core/gate/consentText';
import { repoDir } from '../core/store/layout';
import type { RepositoryTracker, TrackedRepo } from '../workspace/repositoryTracker';
import { ConsentView } from './consentPrompt';

export interface ConsentFlowHost {
  readonly storePath: string;
  readonly repos: RepositoryTracker;
  readonly consent: ConsentLedger;
  readonly session: CaptureSession;
  /** The engineer's own retention setting, shown beside the policy's. */
  readonly personalRetentionDays: number;
  /** Consent changed what is recorded: the status bar and badge show it. */
  updateStatus(): void;
}

export class ConsentFlow implements vscode.Disposable {
  private readonly view = new ConsentView();
  /** Policy hashes already offered in this window, so the prompt is not repeated on every refresh. */
  private readonly offered = new Set<string>();

  constructor(private readonly host: ConsentFlowHost) {}

  /**
   * Asks for consent for every repository waiting for it (the consent view; `accept` answers
   * without it). With none waiting, shows what the engineer agreed to, to read again.
   */
  async give(args: { accept?: boolean; repo?: string; background?: boolean }): Promise<string[]> {
    const { repos, consent } = this.host;
    await repos.whenReady();
    const waiting = repos.all().filter((r) => r.state.kind === 'needs-consent' && (!args.repo || r.root === args.repo));
    if (waiting.length === 0) {
      if (args.accept === undefined) this.showAgain(args.repo);
      return [];
    }
    const accepted: string[] = [];
    for (const repo of waiting) {
      if (repo.state.kind !== 'needs-consent') continue;
      const yes = args.accept ?? (await this.view.show(repo.root, this.context(repo), 'ask', args.background));
      // The answer may come late: only the policy that was shown can be agreed to.
      const now = repos.all().find((r) => r.root === repo.root)?.state;
      if (!yes || now?.kind !== 'needs-consent' || now.hash !== repo.state.hash) continue;
      await consent.give(repo.root, repo.state.hash, Date.now());
      await repos.reevaluate(repo.root);
      accepted.push(repo.root);
    }
    return accepted;
  }

  async revoke(args: { deleteData?: boolean; repo?: string }): Promise<string[]> {
    const { repos, consent, session, storePath } = this.host;
    await repos.whenReady();
    const targets = repos.all().filter((r) => consent.get(r.root) && (!args.repo || r.root === args.repo));
    for (const repo of targets) {
      await consent.revoke(repo.root);
      await session.forgetRepo(repo.repoId);
      await repos.reevaluate(repo.root);
      const remove =
        args.deleteData ??
        (await vscode.window.showWarningMessage(
          `Codetrail stopped recording ${basename(repo.root)}. Delete everything it recorded there?`,
          { modal: true, detail: `This removes ${repoDir(storePath, repo.repoId)} for good.` },
          'Delete recordings',
        )) === 'Delete recordings';
      if (remove) await rm(repoDir(storePath, repo.repoId), { recursive: true, force: true });
    }
    this.host.updateStatus();
    return targets.map((r) => r.root);
  }

  /** A repository's state changed: tell the engineer what it means for consent, once per policy. */
  repoChanged(repo: TrackedRepo): void {
    const { state } = repo;
    if (state.kind === 'invalid' && !this.offered.has(state.hash)) {
      this.offered.add(state.hash);
      void vscode.window.showWarningMessage(`Codetrail will not record ${basename(repo.root)}: its policy file is invalid. ${state.errors.join('; ')}`);
    }
    if (state.kind === 'consented') this.view.answered(repo.root);
    if (state.kind === 'needs-consent' && !this.offered.has(state.hash)) {
      this.offered.add(state.hash);
      // A notification, not the view itself: opening a page in the editor at start-up would take the
      // place of the file the engineer is typing in. Nothing is recorded until they choose.
      const ask = state.policyChanged
        ? 'The Codetrail policy of this repository changed.'
        : 'This repository asks to record how you work on it, with Codetrail.';
      void vscode.window.showInformationMessage(`${ask} (${basename(repo.root)})`, 'Read and Decide…', 'Not Now').then((pick) => {
        if (pick === 'Read and Decide…') void vscode.commands.executeCommand('codetrail.giveConsent', { repo: repo.root });
      });
    }
  }

  /** The consent view of a repository already agreed to, to read again. */
  private showAgain(root: string | undefined): void {
    const repo = this.host.repos.all().find((r) => r.state.kind === 'consented' && (!root || r.root === root));
    if (!repo) {
      void vscode.window.showInformationMessage('Codetrail: no repository in this window asks to be recorded (none has a committed .codetrail.json policy).');
      return;
    }
    void this.view.show(repo.root, this.context(repo), 'read');
  }

  private context(repo: TrackedRepo): ConsentContext {
    const { state } = repo;
    if (state.kind !== 'needs-consent' && state.kind !== 'consented') throw new Error(`no policy to show for ${repo.root}`);
    return {
      repoName: basename(repo.root),
      policy: state.policy,
      storePath: this.host.storePath,
      policyChanged: state.kind === 'needs-consent' && state.policyChanged,
      personalRetentionDays: this.host.personalRetentionDays,
      warnings: state.warnings,
    };
  }

  dispose(): void {
    this.view.dispose();
  }
}
