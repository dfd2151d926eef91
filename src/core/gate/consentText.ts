// What the engineer is told before agreeing to record a repository, as short points under plain
// headings that can be scanned in seconds. Plain data, so that the consent view, its markdown
// twin and the tests share one text.
import type { Policy } from './policy';

export interface ConsentSection {
  id: 'purpose' | 'recorded' | 'never' | 'sharing' | 'storage' | 'control';
  heading: string;
  points: string[];
}

export interface ConsentDocument {
  title: string;
  /** One sentence under the title: what this is about. */
  lead: string;
  sections: ConsentSection[];
  /** Notes about the policy file itself (unknown keys and the like). */
  warnings: string[];
}

export interface ConsentContext {
  repoName: string;
  policy: Policy;
  storePath: string;
  /** The policy changed since the engineer last agreed. */
  policyChanged: boolean;
  /** The engineer's own shorter retention (`codetrail.retentionDays`), 0 when unset. */
  personalRetentionDays?: number;
  warnings?: readonly string[];
}

export const POLICY_FILE = '.codetrail.json';

export function consentDocument({ repoName, policy, storePath, policyChanged, personalRetentionDays = 0, warnings = [] }: ConsentContext): ConsentDocument {
  const metadata = policy.capture === 'metadata';
  const days = personalRetentionDays > 0 ? Math.min(personalRetentionDays, policy.retentionDays) : policy.retentionDays;
  return {
    title: policyChanged ? `The Codetrail policy of ${repoName} changed` : `Let Codetrail record your work in ${repoName}?`,
    lead: policyChanged
      ? 'Recording stopped until you agree to the new policy. Nothing is recorded unless you do.'
      : 'The team that owns this repository asks to record how its coding tasks are solved. Nothing is recorded unless you agree.',
    sections: [
      {
        id: 'purpose',
        heading: 'What it is for',
        points: [
          'Recordings are meant as training data for AI coding models: how real tasks get solved, step by step.',
          ...(policy.purpose ? [`The team’s stated purpose: ${policy.purpose}`] : []),
          policy.contact ? `Questions about the data: ${policy.contact}` : 'The policy names no contact: ask the repository’s maintainers.',
        ],
      },
      {
        id: 'recorded',
        heading: 'What is recorded',
        points: metadata
          ? [
              'Only the shape of your work: positions, sizes, file names, commands, exit codes, test and commit outcomes.',
              'Never any code text (the policy asks for metadata only).',
            ]
          : [
              'Your edits, cursor moves and the files you open, per coding task.',
              `Terminal commands and their exit codes${policy.terminalOutput ? ', with output excerpts' : ' (not their output)'}.`,
              'Test runs, errors and warnings, and commits.',
            ],
      },
      {
        id: 'never',
        heading: 'What is never recorded',
        points: [
          'Other repositories, and anything while recording is paused.',
          `Secret files (.env, keys, credentials), git-ignored files${policy.exclude.length ? ' and the files the policy excludes' : ''}.`,
          'Secrets, tokens, passwords and e-mail addresses: replaced by placeholders before anything reaches disk.',
          'Your name or e-mail: you are a random id.',
        ],
      },
      {
        id: 'sharing',
        heading: 'Nothing leaves this machine until you approve it',
        points: [
          'You review each task (every step, with redaction and deletion) and approve it before it can be exported.',
          'Codetrail never uploads anything itself.',
        ],
      },
      {
        id: 'storage',
        heading: 'Where it lives, and for how long',
        points: [`On this machine only, in ${storePath}`, `Deleted after ${days} day${days === 1 ? '' : 's'}.`],
      },
      {
        id: 'control',
        heading: 'You stay in control',
        points: [
          'The status bar shows “● Codetrail” whenever it records: click it to pause, resume, start or end a task.',
          'Review, redact or delete any task, session or step in the Codetrail view.',
          'Withdraw consent at any time, and delete everything recorded here.',
          `This consent covers this exact policy (${POLICY_FILE} as committed): if it changes, you are asked again.`,
        ],
      },
    ],
    warnings: [...warnings],
  };
}

/** The same document as Markdown (for the policy link's preview, README and tests). */
export function consentMarkdown(doc: ConsentDocument): string {
  const out = [`# ${doc.title}`, '', doc.lead, ''];
  for (const s of doc.sections) out.push(`## ${s.heading}`, '', ...s.points.map((p) => `- ${p}`), '');
  if (doc.warnings.length) out.push('## About the policy file', '', ...doc.warnings.map((w) => `- ${w}`), '');
  return out.join('\n');
}
