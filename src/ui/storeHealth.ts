// What the engineer is told when the store cannot take events: the disk is full (recording
// pauses by itself until there is room) or a write failed (retried on the next flush).
import * as vscode from 'vscode';
import type { CaptureSession } from '../core/capture/captureSession';
import { errorMessage } from '../core/base/errors';

export interface StoreHealthHost {
  readonly storePath: string;
  readonly session: CaptureSession;
  readonly log: vscode.LogOutputChannel;
  /** There is room again: the open documents are taken in again (replay forgot them). */
  rememberOpenDocuments(): void;
  updateStatus(): void;
}

export class StoreHealth {
  private warningShown = false;

  constructor(private readonly host: StoreHealthHost) {}

  onStoreFull(full: boolean): void {
    const { log, storePath } = this.host;
    this.host.updateStatus();
    if (full) {
      log.error(`store: the disk is full (${storePath}); recording is paused until there is room again`);
      void vscode.window.showWarningMessage(
        `Codetrail paused: the disk holding its recordings is full (${storePath}). Nothing already recorded is lost; recording resumes by itself when there is room.`,
      );
    } else {
      log.info('store: there is room again; recording resumed');
      this.host.rememberOpenDocuments();
    }
  }

  onStoreError(err: unknown): void {
    this.host.log.error(`store: ${errorMessage(err)}`);
    if (this.host.session.storeFull || this.warningShown) return;
    this.warningShown = true;
    void vscode.window.showWarningMessage(`Codetrail could not save recent events and will retry: ${errorMessage(err)}`).then(() => {
      this.warningShown = false;
    });
  }
}
