// TRL conversational rows with tool calls: the problem statement as the user turn, each engineer
// action as an assistant turn calling a tool, each result as a tool turn. `arguments` is a JSON
// string, as in OpenAI's API (TRL accepts both); tools are JSON-Schema function definitions.
import { jsonlFormat } from './format';
import { pq } from './parquet';
import type { Step, Trajectory } from './trajectory';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
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
  fn('view_files', 'Look at files of the repository (where the engineer navigated).', { files: { type: 'array', items: { type: 'string' }, description: 'paths, with the line ranges looked at' } }, ['files']),
  fn('edit_file', 'Change a file by applying a unified diff.', { path: { type: 'string' }, patch: { type: 'string', description: 'unified diff of the file' } }, ['path', 'patch']),
  fn('run_command', 'Run a shell command in the repository.', { command: { type: 'string' }, cwd: { type: 'string', description: 'folder relative to the repository root' } }, ['command']),
  fn('run_tests', 'Run the tests with a shell command.', { command: { type: 'string' } }, ['command']),
  fn('commit', 'Commit the staged changes.', { message: { type: 'string' } }, ['message']),
];

/** Longest tool result kept, so rows stay usable for training. */
const MAX_RESULT_CHARS = 4000;

const clip = (text: string) => (text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS / 2)}\n…\n${text.slice(-MAX_RESULT_CHARS / 2)}` : text);

export function trlRow(t: Trajectory): TrlRow {
  const messages: Message[] = [
    {
      role: 'system',
      content: `You are a software engineer working in a git repository${t.base_commit ? ` checked out at ${t.base_commit}` : ''}. Use the tools to look at files, edit them, run commands and tests, and commit.`,
    },
    { role: 'user', content: [t.title, t.problem_statement].filter(Boolean).join('\n\n') },
  ];
  let n = 0;
  const call = (name: string, args: Record<string, unknown>, result: string) => {
    const id = `call_${++n}`;
    messages.push({ role: 'assistant', content: '', tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] });
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
        call(test ? 'run_tests' : 'run_command', test ? { command: s.command } : { command: s.command, ...(s.cwd && s.cwd !== '.' ? { cwd: s.cwd } : {}) }, result);
        break;
      }
      case 'test':
        call('run_tests', { command: s.command }, `exit code ${s.exit_code ?? 'unknown'}\n${testSummary(s)}`);
        break;
      case 'commit': {
        const prev = steps[i - 1];
        // A commit made by a terminal command is that command's result, not a second action.
        if (!(prev?.kind === 'terminal' && /\bgit\b.*\bcommit\b/.test(prev.command ?? ''))) call('commit', { message: s.message ?? '' }, `committed ${s.sha}: ${s.files.join(', ')}`);
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
  messages.push({ role: 'assistant', content: `Task ${t.outcome ?? 'ended'}.${t.commits.length ? ` Commits: ${t.commits.map((c) => c.sha.slice(0, 10)).join(', ')}.` : ''}` });
  return { messages, tools: TRL_TOOLS, task_id: t.task_id, repo: t.repo, outcome: t.outcome, replay_status: t.replay_status };
}

function testSummary(s: Step): string {
  const counts = [s.passed !== null ? `${s.passed} passed` : '', s.failed !== null ? `${s.failed} failed` : '', s.skipped ? `${s.skipped} skipped` : ''].filter(Boolean).join(', ');
  return `${counts || 'no counts'}${s.failing_tests.length ? `\nfailing: ${s.failing_tests.join('; ')}` : ''}`;
}

export const trlFormat = jsonlFormat({
  split: 'train',
  description: 'Conversational rows for supervised fine-tuning with tool calls (TRL): `messages` and `tools`; `arguments` are JSON strings.',
  schema: {
    messages: pq.list(
      pq.struct({
        role: pq.string(),
        content: pq.string(),
        tool_calls: pq.list(pq.struct({ id: pq.string(), type: pq.string(), function: pq.struct({ name: pq.string(), arguments: pq.string() }) })),
        name: pq.string(),
        tool_call_id: pq.string(),
      }),
    ),
    tools: pq.list(pq.struct({ type: pq.string(), function: pq.struct({ name: pq.string(), description: pq.string(), parameters: pq.json() }) })),
    ...pq.strings('task_id', 'repo', 'outcome', 'replay_status'),
  },
  mergeKey: 'task',
  rows: ({ trajectory }) => [trlRow(trajectory)],
});
