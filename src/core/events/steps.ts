// The shapes a record becomes a step in: a review step's category, and an exported step (one
// struct for every kind, unused fields null, so columnar formats can hold it).

export const STEP_CATEGORIES = ['edit', 'navigation', 'terminal', 'test', 'commit', 'file', 'diagnostics', 'gap'] as const;
export type StepCategory = (typeof STEP_CATEGORIES)[number];

/**
 * How a record joins a step (events/stepGrouping.ts): 'edit' grows an edit step; 'move' (a cursor
 * move) joins an edit step in its file, else navigation; 'look' is navigation only; 'prelude'
 * belongs to the step after it.
 */
export type Placement = 'edit' | 'move' | 'look' | 'prelude';

export type StepKind = 'edit' | 'navigate' | 'save' | 'external' | 'terminal' | 'test' | 'commit' | 'git' | 'diagnostics' | 'file';

/** One exported step. A single struct for every kind (unused fields null) so columnar formats can hold it. */
export interface Step {
  ts: number;
  kind: StepKind;
  file: string | null;
  /** edit / external: unified diff of the file; commit: the commit's diff from the task base. */
  patch: string | null;
  /** terminal / test: the command line. */
  command: string | null;
  cwd: string | null;
  exit_code: number | null;
  output: string | null;
  runner: string | null;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  failing_tests: string[];
  sha: string | null;
  message: string | null;
  files: string[];
  /** What else there is to say, in words: origins of an edit, lines looked at, a git move. */
  detail: string | null;
  /** edit: how most of its text was made (typing, paste, completion.word, completion.inline, agent...: schema/events.ts Origin). */
  origin: string | null;
}

export function emptyStep(ts: number, kind: StepKind): Step {
  return {
    ts,
    kind,
    file: null,
    patch: null,
    command: null,
    cwd: null,
    exit_code: null,
    output: null,
    runner: null,
    passed: null,
    failed: null,
    skipped: null,
    failing_tests: [],
    sha: null,
    message: null,
    files: [],
    detail: null,
    origin: null,
  };
}
