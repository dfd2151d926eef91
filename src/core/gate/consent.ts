// Personal consent: given per repository for one exact policy (its hash), kept in user-level
// state. A changed policy no longer matches, so recording stops until the engineer agrees again.
import type { KeyValueState } from '../base/state';

export interface ConsentRecord {
  policyHash: string;
  /** Unix ms when consent was given. */
  at: number;
}

const KEY = 'codetrail.consent.v1';

export class ConsentLedger {
  constructor(private readonly state: KeyValueState) {}

  private all(): Record<string, ConsentRecord> {
    return this.state.get<Record<string, ConsentRecord>>(KEY) ?? {};
  }

  get(repoRoot: string): ConsentRecord | undefined {
    return this.all()[repoRoot];
  }

  covers(repoRoot: string, policyHash: string): boolean {
    return this.get(repoRoot)?.policyHash === policyHash;
  }

  async give(repoRoot: string, policyHash: string, at: number): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [repoRoot]: { policyHash, at } });
  }

  async revoke(repoRoot: string): Promise<void> {
    const { [repoRoot]: _gone, ...rest } = this.all();
    await this.state.update(KEY, rest);
  }
}
