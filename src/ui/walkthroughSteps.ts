// The walkthrough's id and the milestones its steps wait for, free of `vscode` so a plain-Node
// test can hold package.json's `contributes.walkthroughs` to them.
export const WALKTHROUGH_ID = 'codetrail.codetrail#codetrail.gettingStarted';

/** In the walkthrough's order; each step completes on `onContext:codetrail.walkthrough.<milestone>`. */
export const MILESTONES = ['consented', 'taskStarted', 'taskEnded', 'reviewOpened', 'taskApproved', 'exported', 'policyCreated'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** The context key a walkthrough step's `onContext:` completion event names. */
export function milestoneContextKey(milestone: Milestone): string {
  return `codetrail.walkthrough.${milestone}`;
}
