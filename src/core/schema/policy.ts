// The team policy file (`.codetrail.json`): what each key means, its default and its limits,
// written once. The parser (src/core/gate/policy.ts) takes its keys, defaults and limits from here, and
// the JSON Schema editors check the file with (schema/policy.v1.schema.json, contributed through
// `jsonValidation`) is generated from the same values; a test keeps the committed file equal to it
// and checks that the schema accepts exactly the policies the parser accepts without a warning.
import { Type } from '@sinclair/typebox';

/** `org/repo`, or empty: characters GitHub allows in owner and repository names. */
export const POLICY_NAME_PATTERN = '^([A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+)?$';

export const POLICY_LIMITS = { purpose: 2000, contact: 320, name: 200, excludeCount: 256, excludeLength: 512, retentionDays: 3650 } as const;

export const PolicySchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'The JSON Schema this file follows. Editors use it; Codetrail ignores it.' })),
    version: Type.Literal(1, { description: 'The policy format version: 1.' }),
    enabled: Type.Boolean({
      description: 'true: engineers who open this repository are asked to consent to recording under this policy. false: Codetrail records nothing here.',
    }),
    purpose: Type.Optional(
      Type.String({
      maxLength: POLICY_LIMITS.purpose,
      default: '',
      description: 'Why the team records: shown to every engineer in the consent prompt.',
    })),
    contact: Type.Optional(
      Type.String({
      maxLength: POLICY_LIMITS.contact,
      default: '',
      description: 'Who engineers can ask about the data (a person, a team or an address). Shown in the consent prompt.',
    })),
    capture: Type.Optional(
      // An enum rather than a union of literals: editors complete and explain enum values.
      Type.Unsafe<'full' | 'metadata'>({
        type: 'string',
        enum: ['full', 'metadata'],
        enumDescriptions: ['Edits with their text, terminal commands, test runs, commits.', 'Positions, sizes, kinds and outcomes only, never code text.'],
        default: 'full',
        description: 'How much is recorded. "metadata" keeps no code text at all.',
      }),
    ),
    exclude: Type.Optional(
      Type.Array(
      Type.String({
        minLength: 1,
        maxLength: POLICY_LIMITS.excludeLength,
        pattern: '^[^!]',
        // VS Code's JSON language service shows this instead of the bare pattern.
        patternErrorMessage: 'A policy cannot un-exclude ("!" globs): it can only narrow what is recorded.',
        description: 'A glob in .gitignore syntax, relative to the repository root. "!" globs are refused: a policy can only narrow what is recorded.',
      }),
      { maxItems: POLICY_LIMITS.excludeCount, default: [], description: 'Extra files never recorded, on top of the built-in exclusions (.env*, keys, credentials) and what git ignores.' },
    )),
    retentionDays: Type.Optional(
      Type.Integer({
      minimum: 1,
      maximum: POLICY_LIMITS.retentionDays,
      default: 90,
      description: 'Recordings older than this many days are deleted from each engineer’s machine (an engineer may choose a shorter time).',
    })),
    name: Type.Optional(
      Type.String({
        maxLength: POLICY_LIMITS.name,
        pattern: POLICY_NAME_PATTERN,
        patternErrorMessage: 'A name such as "org/repo", or empty.',
        default: '',
        description:
          'The name the team publishes the repository under, as "org/repo" (SWE-bench\'s `repo`). Exports name the repository by it; empty: they use a pseudonymous id, and whoever runs them must supply the name.',
      }),
    ),
    terminalOutput: Type.Optional(
      Type.Boolean({
      default: false,
      description: 'Whether excerpts of terminal output may be kept. Command lines and exit codes are always recorded.',
    })),
  },
  {
    additionalProperties: false,
    title: 'Codetrail team policy',
    description:
      'Committed at a repository root, opts the repository in to Codetrail recording. Only the committed version counts; any change asks every engineer for consent again. A policy can narrow what is recorded but never choose where recordings are stored or sent.',
  },
);

/** The keys a policy may set besides `version` and `enabled`, with their defaults. */
export const POLICY_OPTIONAL_KEYS = ['purpose', 'contact', 'capture', 'exclude', 'retentionDays', 'name', 'terminalOutput'] as const;

export function policySchemaDocument(): object {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(PolicySchema)) };
}

export function policySchemaText(): string {
  return JSON.stringify(policySchemaDocument(), null, 2) + '\n';
}
