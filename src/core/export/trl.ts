// TRL conversational rows with tool calls: the problem statement as the user turn, each engineer
// action as an assistant turn calling a tool, each result as a tool turn; tools are JSON-Schema
// function definitions.
//
// What the consumers' own code wants (checked against it, see README "Export formats"):
// - `arguments` is a JSON object: TRL's dataset-format docs and transformers' chat templates
//   (`arguments | tojson`, `arguments | items`) take a mapping; a string is double-encoded or
//   crashes them. OpenAI's fine-tuning API wants a string: `--trl-arguments string` gives that.
// - Tool-call ids are 9 alphanumerics: Mistral's templates refuse any other id.
// - A message has only the keys it uses. `datasets` (>= 4.7) reads each message as `Json()` (what it
//   infers itself for messages with different keys, and what the dataset card pins), so no
//   `tool_calls: None` is added: TRL stopped stripping `None` and the Llama 3.x, gpt-oss and
//   Mistral templates test `'tool_calls' in message` / `is defined`. Parquet therefore holds each
//   message and each tool as one JSON string, the storage of `datasets`' own `Json` feature.
import { jsonlFormat } from './format';
import { pq } from './parquet';
import type { Step, Trajectory } from './trajectory';

/** `object`: as TRL and chat templates take it (the default); `string`: as OpenAI's API takes it. */
export type TrlArguments = 'object' | 'string';
export const TRL_ARGUMENTS: readonly TrlArguments[] = ['object', 'string'];

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: Record<string, unknown> | string };
}

export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_calls?: ToolCall[];
  name?: string;
  tool_call_id?: string;
}

export interface TrlRow {
  messages: Message[];
  tools: typeof TRL_TOOLS;
  task_id: string;
  repo: string;
  outcome: string | null;
  replay_status: string;
}

const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]) => ({
  type: 'function' as const,
  function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } },
});

export const TRL_TOOLS = [
  fn(
    'view_files',
    'Look at files of the repository (where the engineer navigated).',
    { files: { type: 'array', items: { type: 'string' }, description: 'paths, with the line ranges looked at' } },
    ['files'],
  ),
  fn(
    'edit_file',
    'Change a file by applying a unified diff.',
    { path: { type: 'string' }, patch: { type: 'string', description: 'unified diff of the file' } },
    ['path', 'patch'],
  ),
  fn(
    'run_command',
    'Run a shell command in the repository.',
    { command: { type: 'string' }, cwd: { type: 'string', description: 'folder relative to the repository root' } },
    ['command'],
  ),
  fn('run_tests', 'Run the tests with a shell command.', { command: { type: 'string' } }, ['command']),
  fn('commit', 'Commit the staged changes.', { message: { type: 'string' } }, ['message']),
];

/** Longest tool result kept, so rows stay usable for training. */
const MAX_RESULT_CHARS = 4000;

const clip = (text: string) => (text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS / 2)}\n…\n${text.slice(-MAX_RESULT_CHARS / 2)}` : text);

/** The `n`th call's id (from 1): 9 alphanumerics, as Mistral's templates require of every id. */
export function toolCallId(n: number): string {
  const id = `call${n.toString(36).padStart(5, '0')}`;
  if (!/^[a-zA-Z0-9]{9}$/.test(id)) throw new Error(`too many tool calls in one row (${n})`);
  return id;
}

export function trlRow(t: Trajectory, opts: { arguments?: TrlArguments } = {}): TrlRow {
  const asString = opts.arguments === 'string';
  const messages: Message[] = [
    {
      role: 'system',
      content: `You are a software engineer working in a git repository${t.base_commit ? ` checked out at ${t.base_commit}` : ''}. Use the tools to look at files, edit them, run commands and tests, and commit.`,
    },
    { role: 'user', content: [t.title, t.problem_statement].filter(Boolean).join('\n\n') },
  ];
  let n = 0;
  const call = (name: string, args: Record<string, unknown>, result: string) => {
    const id = toolCallId(++n);
    messages.push({
      role: 'assistant',
      content: '',
      tool_calls: [{ id, type: 'function', function: { name, arguments: asString ? JSON.stringify(args) : args } }],
    });
    messages.push({ role: 'tool', name, tool_call_id: id, content: clip(result) });
  };
  const steps = t.steps;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const next = steps[i + 1];
    switch (s.kind) {
      case 'navigate':
        call('view_files', { files: s.detail ? s.detail.split(', ') : s.files }, `viewed ${s.files.length} file(s)`);
        break;
      case 'edit':
        if (s.patch && s.file) call('edit_file', { path: s.file, patch: s.patch }, 'applied');
        break;
      case 'terminal': {
        // A test run is the same command seen by the test parser: one call with both results.
        const test = next?.kind === 'test' && next.command === s.command ? next : undefined;
        if (test) i += 1;
        const result = `exit code ${s.exit_code ?? 'unknown'}${test ? `\n${testSummary(test)}` : ''}${s.output ? `\n${s.output}` : ''}`;
        call(
          test ? 'run_tests' : 'run_command',
          test ? { command: s.command } : { command: s.command, ...(s.cwd && s.cwd !== '.' ? { cwd: s.cwd } : {}) },
          result,
        );
        break;
      }
      case 'test':
        call('run_tests', { command: s.command }, `exit code ${s.exit_code ?? 'unknown'}\n${testSummary(s)}`);
        break;
      case 'commit': {
        const prev = steps[i - 1];
        // A commit made by a terminal command is that command's result, not a second action.
        if (!(prev?.kind === 'terminal' && /\bgit\b.*\bcommit\b/.test(prev.command ?? '')))
          call('commit', { message: s.message ?? '' }, `committed ${s.sha}: ${s.files.join(', ')}`);
        break;
      }
      // Not actions a model takes with these tools: their effects show in the calls around them.
      case 'save':
      case 'external':
      case 'git':
      case 'diagnostics':
      case 'file':
        break;
      default: {
        const unhandled: never = s.kind;
        throw new Error(`no TRL turn for step kind ${String(unhandled)}`);
      }
    }
  }
  messages.push({
    role: 'assistant',
    content: `Task ${t.outcome ?? 'ended'}.${t.commits.length ? ` Commits: ${t.commits.map((c) => c.sha.slice(0, 10)).join(', ')}.` : ''}`,
  });
  return { messages, tools: TRL_TOOLS, task_id: t.task_id, repo: t.repo, outcome: t.outcome, replay_status: t.replay_status };
}

function testSummary(s: Step): string {
  const counts = [s.passed !== null ? `${s.passed} passed` : '', s.failed !== null ? `${s.failed} failed` : '', s.skipped ? `${s.skipped} skipped` : '']
    .filter(Boolean)
    .join(', ');
  return `${counts || 'no counts'}${s.failing_tests.length ? `\nfailing: ${s.failing_tests.join('; ')}` : ''}`;
}

export const trlFormat = jsonlFormat({
  split: 'train',
  description:
    'Conversational rows for supervised fine-tuning with tool calls (TRL `SFTTrainer`): `messages` and `tools`. ' +
    'Each message and each tool is a `Json()` value (`datasets` >= 4.7): a message holds only its own keys, so chat templates see no `None` padding. ' +
    'In Parquet each is one JSON string, the storage of that feature. Tool-call `arguments` are JSON objects unless exported with `--trl-arguments string` (OpenAI fine-tuning); tool-call ids are 9 alphanumerics.',
  schema: {
    messages: pq.list(pq.json()),
    tools: pq.list(pq.json()),
    ...pq.strings('task_id', 'repo', 'outcome', 'replay_status'),
  },
  mergeKey: 'task',
  rows: ({ trajectory }, _observed, options) => [trlRow(trajectory, { arguments: options.trlArguments ?? 'object' })],
});
