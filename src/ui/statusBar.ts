// The always-visible truth about recording in this window.
import * as vscode from 'vscode';
import type { RepoState } from '../core/gate/repoState';

export interface StatusSnapshot {
  trusted: boolean;
  paused: boolean;
  /** Recording stopped because the store's disk is full. */
  diskFull?: boolean;
  states: RepoState['kind'][];
  /** Title of the active coding task. */
  task?: string;
  /** Names of the repositories being recorded (their folders). */
  recording?: string[];
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codetrail.status', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = 'Codetrail recording status';
    this.item.command = 'codetrail.showMenu';
  }

  update({ trusted, paused, diskFull, states, task, recording = [] }: StatusSnapshot): void {
    void vscode.commands.executeCommand('setContext', 'codetrail.taskActive', task !== undefined);
    const view =
      diskFull && states.includes('consented')
        ? {
            text: '$(warning) Codetrail paused: disk full',
            tooltip: 'Codetrail: the disk holding recordings is full. Nothing recorded is lost; recording resumes when there is room.',
            warning: true,
          }
        : describe(trusted, paused, states, task, recording);
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.tooltip, role: 'button' };
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function describe(trusted: boolean, paused: boolean, states: RepoState['kind'][], task: string | undefined, recording: string[]) {
  const relevant = states.filter((s) => s !== 'no-policy');
  if (relevant.length === 0) return undefined;
  if (!trusted) return { text: '$(circle-slash) Codetrail off', tooltip: 'Codetrail: not recording, the workspace is not trusted', warning: false };
  if (states.includes('consented')) {
    return paused
      ? { text: '$(debug-pause) Codetrail paused', tooltip: 'Codetrail: paused, nothing is recorded. Click to resume.', warning: true }
      : {
          // Says that it records, and where, even with no task running.
          text: task
            ? `$(record) Codetrail: ${truncate(task, 30)}`
            : `$(record) Codetrail: recording ${truncate(recording.join(', ') || 'this workspace', 30)}`,
          tooltip: `Codetrail is recording ${recording.join(', ') || 'this workspace'}${task ? `, task “${task}”` : ' (no task started)'}. Click to pause, start or end a task, or read what is recorded.`,
          warning: false,
        };
  }
  if (states.includes('needs-consent'))
    return { text: '$(shield) Codetrail: consent?', tooltip: 'Codetrail: this repository asks to record your work. Click to review.', warning: false };
  if (states.includes('invalid'))
    return { text: '$(warning) Codetrail off', tooltip: 'Codetrail: the repository policy is invalid, nothing is recorded. Click for details.', warning: true };
  return { text: '$(circle-slash) Codetrail off', tooltip: 'Codetrail: not recording in this workspace', warning: false };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
