import * as vscode from 'vscode';
import { consentSummary } from '../core/consentText';
import type { Policy } from '../core/policy';

const ACCEPT = 'Record this repository';

/** A modal that says what is recorded, where it goes and how to stop; true only on an explicit yes. */
export async function askConsent(repoName: string, policy: Policy, policyChanged: boolean, storePath: string, warnings: readonly string[]): Promise<boolean> {
  const title = policyChanged ? `The Codetrail policy of ${repoName} changed. Record under the new policy?` : `Let Codetrail record your work in ${repoName}?`;
  const notes = warnings.length ? `\n\nAbout the policy file: ${warnings.join('; ')}.` : '';
  const pick = await vscode.window.showInformationMessage(title, { modal: true, detail: consentSummary(repoName, policy, storePath) + notes }, ACCEPT);
  return pick === ACCEPT;
}
