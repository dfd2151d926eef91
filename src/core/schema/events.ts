// Event schema v1: the one definition of what a stored record is. The TypeScript types and the
// published JSON Schema (schema/event.v1.schema.json) both come from these TypeBox values, and a
// test keeps the committed file equal to what this module generates.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EVENT_SCHEMA_VERSION } from './version';

export { EVENT_SCHEMA_VERSION };
export const EVENT_SCHEMA_ID = 'https://codetrail.dev/schema/event.v1.schema.json';

const Ulid = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'ULID: sortable by creation time' });
export const RepoId = Type.String({ pattern: '^r_[0-9a-f]{16}$', description: 'pseudonymous repository id' });
export const ContributorId = Type.String({ pattern: '^c_[0-9a-f]{16}$', description: 'random per installation' });
/** A path relative to the repository root, with forward slashes, never absolute or escaping it. */
const RelPath = Type.String({ minLength: 1, maxLength: 4096, pattern: '^(?!/)(?!\\.\\./)(?!.*/\\.\\./).+$' });

export const Origin = Type.Union(
  [
    Type.Literal('typing'),
    Type.Literal('paste'),
    Type.Literal('undo'),
    Type.Literal('redo'),
    Type.Literal('multiCursor'),
    Type.Literal('format'),
    Type.Literal('completion'),
    Type.Literal('completion.word'),
    Type.Literal('completion.inline'),
    Type.Literal('agent'),
    Type.Literal('editor'),
    Type.Literal('external'),
    Type.Literal('user'),
    Type.Literal('system'),
  ],
  {
    description:
      'what produced the event: how an edit was made (completion.word: the suggest widget; completion.inline: an inline suggestion accepted; completion: older records that did not tell them apart; agent: a workspace edit, not made in the editor the engineer types in), or user / system for the rest',
  },
);
export type Origin = Static<typeof Origin>;

export const OriginConfidence = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')], {
  description: 'how sure the origin is: high from direct evidence (undo, the clipboard, several documents at once), medium from where and what was inserted, low from its shape alone',
});
export type OriginConfidence = Static<typeof OriginConfidence>;

/** Who wrote a change on disk: the terminal command running then (redacted as command lines are), or another process. */
const Writer = Type.Object(
  {
    kind: Type.Union([Type.Literal('terminal'), Type.Literal('process')]),
    commandLine: Type.Optional(Type.String({ description: 'the terminal command that was running' })),
    terminal: Type.Optional(Type.String({ description: 'terminal id, as in terminal.command' })),
  },
  { additionalProperties: false, description: 'what wrote a change on disk: a terminal command running at the time, else another process' },
);

const TextChange = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, description: 'UTF-16 offset in the document before this change' }),
    length: Type.Integer({ minimum: 0, description: 'UTF-16 length of the replaced text' }),
    text: Type.Optional(Type.String({ description: 'inserted text; absent at capture level metadata' })),
    textLength: Type.Integer({ minimum: 0, description: 'UTF-16 length of the inserted text' }),
  },
  { additionalProperties: false },
);
export type TextChange = Static<typeof TextChange>;

const Sha = Type.String({ pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$', description: 'git object id' });
const Position = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], { description: '[line, character], zero-based' });
const Omitted = Type.Union([Type.Literal('too-large'), Type.Literal('binary'), Type.Literal('metadata'), Type.Literal('unreadable')], {
  description: 'why the content is not kept: only its size and hash are',
});
const obj = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });
const opt = Type.Optional;
const Arrived = obj(
  {
    commits: Type.Integer({ minimum: 1, description: 'commits by someone else that HEAD gained' }),
    base: Type.Union([Sha, Type.Null()], { description: "the task's base from here on; null: others' work is interleaved with the engineer's and cannot be split off" }),
  },
  "others' commits arrived (pull, merge, rebase, cherry-pick): the task's base moves past them",
);

/** Kind name → schema of its `data`. Adding a kind here adds it to the types and the JSON Schema. */
export const EVENT_DATA = {
  'session.start': obj({
    reason: Type.Union([Type.Literal('window'), Type.Literal('idle'), Type.Literal('consent'), Type.Literal('resume'), Type.Literal('task')], {
      description: "why it starts; `task`: restated, same session, when a task starts in it, so that every task's records carry their consent basis",
    }),
    policyHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    consentAt: Type.Integer({ minimum: 0, description: 'when the engineer consented to this policy (Unix ms)' }),
    captureLevel: Type.Union([Type.Literal('full'), Type.Literal('metadata')]),
    redactionRules: Type.String({ description: 'version of the redaction rules applied before storing' }),
    extensionVersion: Type.String(),
    vscodeVersion: Type.String(),
    repoName: opt(Type.String({ maxLength: 200, description: 'the "org/repo" name the team policy publishes the repository under, when it sets one' })),
    assistants: opt(
      Type.Array(
        obj({
          id: Type.String({ maxLength: 200 }),
          version: Type.String({ maxLength: 100 }),
          active: Type.Boolean(),
          provides: Type.Array(Type.Union([Type.Literal('completions'), Type.Literal('chat'), Type.Literal('agent')])),
        }),
        { description: 'installed extensions that provide completions, chat or agents: ids and versions only, from their manifests' },
      ),
    ),
    inlineSuggest: opt(Type.Boolean({ description: 'editor.inlineSuggest.enabled' })),
  }),
  'session.end': obj({
    reason: Type.Union([Type.Literal('window'), Type.Literal('idle'), Type.Literal('pause'), Type.Literal('revoke'), Type.Literal('policy')]),
  }),
  'task.start': obj(
    {
      title: Type.String({ maxLength: 500 }),
      description: Type.String({ maxLength: 100_000, description: 'the problem statement' }),
      issueUrl: opt(Type.String({ maxLength: 2000 })),
      auto: Type.Boolean({ description: 'started by switching to a branch rather than by the engineer' }),
      branch: Type.Union([Type.String(), Type.Null()]),
    },
    'a coding task begins; the record id of this event is the task id',
  ),
  'task.review': obj(
    { approved: Type.Boolean({ description: 'true: may be exported; false: approval withdrawn' }) },
    'the engineer reviewed the task; the latest review decides whether it is exported',
  ),
  'task.end': obj({
    outcome: Type.Union([Type.Literal('solved'), Type.Literal('partial'), Type.Literal('abandoned')]),
    note: Type.String({ maxLength: 100_000 }),
  }),
  'git.state': obj(
    {
      reason: Type.Union([Type.Literal('task'), Type.Literal('session'), Type.Literal('head')]),
      head: Type.Union([Sha, Type.Null()]),
      branch: Type.Union([Type.String(), Type.Null()]),
      detached: Type.Boolean(),
      inProgress: Type.Union([Type.Literal('merge'), Type.Literal('rebase'), Type.Literal('cherry-pick'), Type.Literal('revert'), Type.Literal('bisect'), Type.Null()]),
      dirtyDiff: Type.String({ description: 'tracked changes against HEAD, as `git diff HEAD --binary`; empty at capture level metadata' }),
      diffOmitted: Type.Array(obj({ path: RelPath, reason: Type.String() }), { description: 'files left out of dirtyDiff (excluded, or not UTF-8 text)' }),
      untracked: Type.Array(
        obj({ path: RelPath, size: Type.Integer({ minimum: 0 }), content: opt(Type.String()), symlink: opt(Type.Boolean({ description: 'content is the link target' })), skipped: opt(Type.String()) }),
        { description: 'untracked, not ignored files at that moment' },
      ),
    },
    'the starting point replay builds on: HEAD, the dirty diff and untracked files',
  ),
  'git.commit': obj({
    sha: Sha,
    parents: Type.Array(Sha),
    branch: Type.Union([Type.String(), Type.Null()]),
    message: Type.String(),
    author: Type.String({ description: 'salted hash of the author, never the name or e-mail' }),
    baseDiff: opt(Type.String({ description: 'the diff from the task\'s starting commit to this commit (`git diff --binary`), when a task is active' })),
    baseDiffOmitted: opt(Type.String({ description: 'why baseDiff is absent: too-large, or metadata' })),
    arrived: opt(Arrived),
    authorTime: Type.Integer({ minimum: 0 }),
    files: Type.Array(
      obj({
        path: RelPath,
        oldPath: opt(RelPath),
        status: Type.String({ maxLength: 1 }),
        added: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
        deleted: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
        blob: Type.Union([Sha, Type.Null()], { description: 'git blob id of the committed content; null when deleted' }),
        dirtyAfter: opt(Type.Boolean({ description: 'the working tree still differed from the commit right after it (partial staging)' })),
        redacted: opt(Type.Boolean({ description: 'the content had secrets: blob is the id of the redacted content, not git\'s' })),
      }),
    ),
  }),
  'git.head': obj(
    {
      kind: Type.Union(['checkout', 'merge', 'rebase', 'reset', 'pull', 'cherry-pick', 'revert', 'amend', 'other'].map((k) => Type.Literal(k))),
      from: Type.Union([Sha, Type.Null()]),
      to: Sha,
      fromBranch: opt(Type.String()),
      toBranch: opt(Type.String()),
      message: Type.String(),
      arrived: opt(Arrived),
    },
    'HEAD moved other than by a plain commit',
  ),
  edit: obj({
    file: RelPath,
    fromVersion: Type.Integer({ minimum: 0, description: 'document version before the first change' }),
    version: Type.Integer({ minimum: 0, description: 'document version after the last change' }),
    changes: Type.Array(TextChange, { minItems: 1, description: 'applied in order, each against the result of the previous' }),
    keystrokes: Type.Integer({ minimum: 1, description: 'editor change events coalesced into this one' }),
    durationMs: Type.Integer({ minimum: 0 }),
    confidence: opt(OriginConfidence),
    writer: opt(Writer),
  }),
  'file.snapshot': obj(
    {
      file: RelPath,
      target: Type.Union([Type.Literal('buffer'), Type.Literal('disk')]),
      version: opt(Type.Integer({ minimum: 0, description: 'buffer version the text belongs to' })),
      text: opt(Type.String()),
      textLength: Type.Integer({ minimum: 0 }),
      blob: Type.String({ pattern: '^[0-9a-f]{40}$', description: 'git blob id of the text as UTF-8' }),
      reason: Type.Union([Type.Literal('first-edit'), Type.Literal('external'), Type.Literal('open')]),
      omitted: opt(Omitted),
      writer: opt(Writer),
    },
    'the whole content of a file the first time replay needs it',
  ),
  'file.external': obj(
    {
      file: RelPath,
      change: Type.Union([Type.Literal('modified'), Type.Literal('created'), Type.Literal('deleted')]),
      patch: opt(Type.String({ description: 'unified diff from the last known content' })),
      blob: opt(Type.String({ pattern: '^[0-9a-f]{40}$' })),
      textLength: opt(Type.Integer({ minimum: 0 })),
      omitted: opt(Omitted),
      writer: opt(Writer),
    },
    'a change on disk made outside the editor (terminal, git, tools)',
  ),
  'file.save': obj({ file: RelPath, version: Type.Integer({ minimum: 0 }), blob: Type.String({ pattern: '^[0-9a-f]{40}$' }) }),
  'file.open': obj({ file: RelPath, languageId: Type.String(), lineCount: Type.Integer({ minimum: 0 }) }),
  'file.close': obj({ file: RelPath }),
  'file.create': obj({ file: RelPath }),
  'file.delete': obj({ file: RelPath }),
  'file.rename': obj({ file: RelPath, oldFile: RelPath }),
  'editor.focus': obj({ file: RelPath }),
  selection: obj({
    file: RelPath,
    kind: Type.Union([Type.Literal('keyboard'), Type.Literal('mouse'), Type.Literal('command'), Type.Literal('unknown')]),
    selections: Type.Array(obj({ anchor: Position, active: Position }), { minItems: 1 }),
  }),
  viewport: obj({ file: RelPath, ranges: Type.Array(Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]), { description: '[firstLine, lastLine]' }) }),
  'window.focus': obj({ focused: Type.Boolean() }),
  'terminal.open': obj({ terminal: Type.String(), name: Type.String(), shellIntegration: Type.Boolean() }),
  'terminal.command': obj({
    terminal: Type.String({ description: 'terminal id, stable within the session' }),
    commandLine: Type.String(),
    confidence: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
    cwd: Type.Union([Type.String(), Type.Null()], { description: 'relative to the repository root' }),
    startTs: Type.Integer({ minimum: 0 }),
    endTs: Type.Integer({ minimum: 0 }),
    exitCode: Type.Union([Type.Integer(), Type.Null()]),
    output: opt(obj({ text: Type.String(), truncated: Type.Boolean(), totalBytes: Type.Integer({ minimum: 0 }) })),
  }),
  'test.run': obj({
    source: Type.Union([Type.Literal('terminal'), Type.Literal('task'), Type.Literal('debug')]),
    command: Type.String(),
    runner: Type.Union([Type.String(), Type.Null()]),
    exitCode: Type.Union([Type.Integer(), Type.Null()]),
    passed: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    failed: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    skipped: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    failingTests: Type.Array(Type.String()),
    durationMs: Type.Integer({ minimum: 0 }),
  }),
  gap: obj(
    {
      removed: Type.Integer({ minimum: 1, description: 'records the engineer deleted here' }),
      kinds: Type.Array(obj({ kind: Type.String(), count: Type.Integer({ minimum: 1 }) })),
      fromTs: Type.Integer({ minimum: 0 }),
      toTs: Type.Integer({ minimum: 0 }),
      buffers: Type.Array(
        obj({ file: RelPath, version: Type.Integer({ minimum: 0 }), text: opt(Type.String()), textLength: Type.Integer({ minimum: 0 }), blob: opt(Type.String({ pattern: '^[0-9a-f]{40}$' })) }),
        { description: 'open buffers of this session changed inside the gap, as they were after it' },
      ),
      disk: Type.Array(
        obj({ file: RelPath, text: opt(Type.String()), textLength: opt(Type.Integer({ minimum: 0 })), blob: opt(Type.String({ pattern: '^[0-9a-f]{40}$' })), deleted: opt(Type.Boolean()) }),
        { description: 'files on disk changed inside the gap, as they were after it' },
      ),
    },
    'steps deleted in review: what was removed, and the state replay resumes from',
  ),
  diagnostics: obj({
    file: RelPath,
    errors: Type.Integer({ minimum: 0 }),
    warnings: Type.Integer({ minimum: 0 }),
    items: Type.Array(
      obj({
        line: Type.Integer({ minimum: 0 }),
        character: Type.Integer({ minimum: 0 }),
        severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
        message: opt(Type.String()),
        source: opt(Type.String()),
        code: opt(Type.String()),
      }),
    ),
  }),
} satisfies Record<string, TSchema>;

export type EventKind = keyof typeof EVENT_DATA;
export const EVENT_KINDS = Object.keys(EVENT_DATA) as EventKind[];
export type EventData<K extends EventKind> = Static<(typeof EVENT_DATA)[K]>;

const envelope = {
  v: Type.Literal(EVENT_SCHEMA_VERSION),
  id: Ulid,
  ts: Type.Integer({ minimum: 0, description: 'Unix time in milliseconds' }),
  session: Ulid,
  task: Type.Union([Ulid, Type.Null()], { description: 'the coding task this belongs to, if any' }),
  repo: RepoId,
  contributor: ContributorId,
  origin: Origin,
};

export function recordOf<K extends EventKind>(kind: K) {
  return Type.Object({ ...envelope, kind: Type.Literal(kind), data: EVENT_DATA[kind] }, { additionalProperties: false, title: kind });
}

export const EventRecordSchema = Type.Union(
  EVENT_KINDS.map((k) => recordOf(k)),
  { $id: EVENT_SCHEMA_ID, title: 'Codetrail event record, schema version 1' },
);

export type EventRecord = { [K in EventKind]: Static<ReturnType<typeof recordOf<K>>> }[EventKind];
export type RecordOfKind<K extends EventKind> = Extract<EventRecord, { kind: K }>;
