// What the SWE-bench harness needs to build and grade an instance, from its own source
// (SWE-bench/SWE-bench 5.0.2, commit 7a21e05: swebench/harness/utils.py `make_test_spec`,
// grading.py, log_parsers/, constants): per instance an `image`, an `eval_script` whose test
// output sits between the start and end markers, a `log_parser` named in PARSER_REGISTRY and an
// `eval_type`; FAIL_TO_PASS / PASS_TO_PASS are JSON lists of the ids that parser reports.
import { diffSections } from './testFiles';

export const HARNESS = { version: '5.0.2', commit: '7a21e05772954cc81471ae19d56f436cecf43c54' } as const;

export const START_TEST_OUTPUT = '>>>>> Start Test Output';
export const END_TEST_OUTPUT = '>>>>> End Test Output';
/** Where the harness checks the repository out in its container. */
export const TESTBED = '/testbed';

/** A runner as the harness sees it: the parser of its log, and how to make it print what that parser reads. */
export interface HarnessRunner {
  logParser: string;
  /** The recorded command, with the reporter the parser reads. */
  command(recorded: string): string;
  /** A test's name as Codetrail's run parser writes it → the id the harness parser reports. */
  id(name: string): string;
}

const hasFlag = (cmd: string, flag: RegExp) => flag.test(cmd);

/** Runners whose output a harness parser reads; others leave `log_parser` for the owner to choose. */
export const HARNESS_RUNNERS: Record<string, HarnessRunner> = {
  // TAP: `not ok 1 - name`; parse_log_tap keeps everything after the number, dash included.
  'node-test': {
    logParser: 'parse_log_tap',
    command: (c) => (hasFlag(c, /--test-reporter/) ? c : c.replace(/(^|\s)--test(?=\s|$)/, '$1--test --test-reporter=tap')),
    id: (n) => `- ${n}`,
  },
  mocha: { logParser: 'parse_log_tap', command: (c) => (hasFlag(c, /(^|\s)(-R|--reporter)\b/) ? c : `${c} --reporter tap`), id: (n) => n },
  jest: { logParser: 'parse_log_jest', command: (c) => (hasFlag(c, /--verbose\b/) ? c : `${c} --verbose`), id: (n) => n },
  vitest: { logParser: 'parse_log_vitest', command: (c) => (hasFlag(c, /--reporter/) ? c : `${c} --reporter=verbose`), id: (n) => n },
  // `-rA` prints a `PASSED id` / `FAILED id` summary line per test, which parse_log_pytest reads.
  pytest: { logParser: 'parse_log_pytest', command: (c) => (hasFlag(c, /(^|\s)-r\w*A/) ? c : `${c} -rA`), id: (n) => n },
  go: { logParser: 'parse_log_gotest', command: (c) => (hasFlag(c, /(^|\s)-v\b/) ? c : c.replace(/\bgo test\b/, 'go test -v')), id: (n) => n },
  cargo: { logParser: 'parse_log_cargo', command: (c) => c, id: (n) => n },
};

/** Files a test patch modifies (they exist at the base commit), as opposed to creates. */
export function modifiedFiles(patch: string): string[] {
  return diffSections(patch)
    .filter((s) => !/^new file mode /m.test(s.text))
    .map((s) => s.path);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The eval script in the shape the harness's own scripts have: reset the test files, apply the
 * test patch, run the tests between the markers, reset again. `set -uxo pipefail` (no -e) so
 * the markers are echoed and every step runs; make_test_spec strips the first two lines.
 */
export function evalScript(opts: { baseCommit: string; testPatch: string; testCommand: string }): string {
  const files = modifiedFiles(opts.testPatch).map(shellQuote).join(' ');
  let delimiter = 'EOF_CODETRAIL_TEST_PATCH';
  while (opts.testPatch.includes(delimiter)) delimiter += '_';
  const reset = files ? [`git checkout ${opts.baseCommit} -- ${files}`] : [];
  return [
    '#!/bin/bash',
    'set -uxo pipefail',
    `cd ${TESTBED}`,
    ...reset,
    `git apply -v - <<'${delimiter}'`,
    opts.testPatch.replace(/\n$/, ''),
    delimiter,
    `: '${START_TEST_OUTPUT}'`,
    opts.testCommand,
    `: '${END_TEST_OUTPUT}'`,
    ...reset,
    '',
  ].join('\n');
}

/** A Docker image name for the instance (lower case, as Docker requires); the owner builds it. */
export function imageName(instanceId: string): string {
  return `codetrail-eval/${instanceId.toLowerCase().replace(/[^a-z0-9._-]+/g, '_')}:latest`;
}

/** Commands that install dependencies: the environment the owner rebuilds the image with. */
const INSTALL =
  /^(npm (ci|install|i)\b|yarn( install)?$|yarn install\b|pnpm (i|install)\b|pip3? install\b|python3? -m pip install\b|poetry install\b|uv (sync|pip install)\b|pipenv install\b|bundle install\b|go mod (download|tidy)\b|cargo (fetch|build)\b|mvn\b.*\binstall\b|composer install\b|gradle\b.*\bbuild\b)/;

export function isInstallCommand(commandLine: string): boolean {
  return commandLine
    .split(/&&|;|\|\|/)
    .map((part) => part.trim().replace(/^(\w+=\S*\s+)+/, ''))
    .some((part) => INSTALL.test(part));
}
