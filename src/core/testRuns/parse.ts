// Reads a test run's result from what the runner printed to the terminal. Each parser keys on its
// runner's closing summary and fails (undefined) without one, so a parser never guesses from
// stray lines; failing test names are taken as the runner prints them, which is what a person
// (or a benchmark's test id list) uses to re-run them. Formats follow real recordings: see
// test/fixtures/test-output.

import { stripTerminalSequences } from '../terminal/ansi';
import { PACKAGE_MANAGER_RUNNERS, TestRunnerId } from './detect';

export interface TestResult {
  /** The runner that printed the output (`jest` for an `npm test` that runs jest). */
  runner: TestRunnerId;
  /** Null when the output does not say: `go test` without -v lists only failures. */
  passed: number | null;
  /**
   * Failed tests, including errors (pytest, unittest, Maven) and cancelled tests (node --test). A
   * file or package that fails as a whole (a jest or vitest file that does not load, a pytest
   * collection error, a Go package that does not build) counts once, named by its path.
   */
  failed: number;
  /** Skipped, todo and expected failures; null when the output does not say (`go test` without -v). */
  skipped: number | null;
  failingTests: string[];
}

type Counts = Omit<TestResult, 'runner'>;
type Parser = (lines: string[]) => Counts | undefined;

/** `2 failed, 1 skipped, 4 passed` or `2 failed | 4 passed` → { failed: 2, skipped: 1, passed: 4 }. */
function countWords(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, n, word] of text.matchAll(/(\d+) ([a-z]+)/gi)) {
    const key = (word as string).toLowerCase();
    counts[key] = (counts[key] ?? 0) + Number(n);
  }
  return counts;
}

function lastIndex(lines: string[], test: (line: string) => boolean, before = lines.length): number {
  for (let i = Math.min(before, lines.length) - 1; i >= 0; i--) if (test(lines[i] as string)) return i;
  return -1;
}

/** Matches of `pattern` in lines [from, to), first group each, in order and without repeats. */
function namesIn(lines: string[], from: number, to: number, pattern: RegExp, skip?: (name: string) => boolean): string[] {
  const names = new Set<string>();
  for (let i = Math.max(0, from); i < Math.min(to, lines.length); i++) {
    const name = pattern.exec(lines[i] as string)?.[1]?.trim();
    if (name && !skip?.(name)) names.add(name);
  }
  return [...names];
}

// Watch modes and scripts that run a runner twice print several summaries: the last one is the
// result, and the failures it reports are those printed since the summary before it.

const JEST_TESTS = /^Tests:\s+(.*\d+ total)\s*$/;
const JEST_NOT_TESTS = /^(?:Test suite failed to run|Console|.*(?:Warning|Error):)$/;

/** Files whose suite did not run (`● Test suite failed to run` under ` FAIL  ./x.test.js`): jest counts no test for them. */
function jestBrokenSuites(lines: string[], from: number, to: number): string[] {
  const files: string[] = [];
  let file: string | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i] as string;
    const fail = /^\s*FAIL\s+(\S+)/.exec(line);
    if (fail) file = fail[1];
    else if (file && /^\s*● Test suite failed to run\s*$/.test(line)) files.push(file);
  }
  return [...new Set(files)];
}

const parseJest: Parser = (lines) => {
  const at = lastIndex(lines, (l) => JEST_TESTS.test(l));
  if (at === -1) return undefined;
  const counts = countWords(JEST_TESTS.exec(lines[at] as string)?.[1] ?? '');
  const from = lastIndex(lines, (l) => JEST_TESTS.test(l), at) + 1;
  const brokenSuites = jestBrokenSuites(lines, from, at);
  return {
    passed: counts.passed ?? 0,
    failed: (counts.failed ?? 0) + brokenSuites.length,
    skipped: (counts.skipped ?? 0) + (counts.todo ?? 0),
    failingTests: [...namesIn(lines, from, at, /^\s*● (.+)$/, (name) => JEST_NOT_TESTS.test(name)), ...brokenSuites],
  };
};

const VITEST_TESTS = /^\s*Tests\s{2,}(\d+ [^(]*)\((\d+)\)\s*$/;

const parseVitest: Parser = (lines) => {
  const at = lastIndex(lines, (l) => VITEST_TESTS.test(l));
  if (at === -1) return undefined;
  const counts = countWords(VITEST_TESTS.exec(lines[at] as string)?.[1] ?? '');
  const from = lastIndex(lines, (l) => VITEST_TESTS.test(l), at) + 1;
  // Entries under `Failed Suites N` are files or describe blocks that failed as a whole (an import
  // error, a failing beforeAll): `FAIL  broken.test.js [ broken.test.js ]`. Vitest counts no test for them.
  const failingTests: string[] = [];
  let suites = 0;
  let inSuites = false;
  for (let i = from; i < at; i++) {
    const line = lines[i] as string;
    if (/ Failed Suites \d+ /.test(line)) inSuites = true;
    else if (/ Failed Tests \d+ /.test(line)) inSuites = false;
    const name = /^\s*FAIL\s+(.*\S)/.exec(line)?.[1]?.replace(/ \[ [^\]]* \]$/, '');
    if (!name || failingTests.includes(name)) continue;
    failingTests.push(name);
    if (inSuites) suites++;
  }
  return {
    passed: counts.passed ?? 0,
    failed: (counts.failed ?? 0) + suites,
    skipped: (counts.skipped ?? 0) + (counts.todo ?? 0),
    failingTests,
  };
};

const MOCHA_PASSING = /^\s*(\d+) passing\b/;

/** Mocha lists each failure as `N) outer title` with the inner titles on the following, further indented lines, the last ending in `:`. */
function mochaFailures(lines: string[], from: number, expected: number): string[] {
  const names: string[] = [];
  for (let i = from; i < lines.length && names.length < expected; i++) {
    const head = /^\s+(\d+)\) (.*)$/.exec(lines[i] as string);
    if (!head || Number(head[1]) !== names.length + 1) continue;
    const parts = [(head[2] as string).trim()];
    while (!(parts[parts.length - 1] as string).endsWith(':') && i + 1 < lines.length && parts.length < 50) {
      const next = (lines[++i] as string).trim();
      if (next === '') break;
      parts.push(next);
    }
    names.push(parts.join(' ').replace(/:$/, ''));
  }
  return names;
}

const parseMocha: Parser = (lines) => {
  const at = lastIndex(lines, (l) => MOCHA_PASSING.test(l));
  if (at === -1) return undefined;
  let failed = 0;
  let skipped = 0;
  let end = at + 1;
  for (; end < Math.min(lines.length, at + 4); end++) {
    const line = lines[end] as string;
    const count = /^\s*(\d+) (pending|failing)\s*$/.exec(line);
    if (count?.[2] === 'pending') skipped = Number(count[1]);
    else if (count?.[2] === 'failing') failed = Number(count[1]);
    else if (line.trim() !== '') break;
  }
  return {
    passed: Number(MOCHA_PASSING.exec(lines[at] as string)?.[1]),
    failed,
    skipped,
    failingTests: failed > 0 ? mochaFailures(lines, end, failed) : [],
  };
};

// node --test prints `ℹ tests 7` ... with its spec reporter (a terminal) and `# tests 7` ... with
// TAP (a pipe); both are read here.
const NODE_COUNT = /^(?:ℹ|#) (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)\s*$/;

/** Names from the `✖ failing tests:` section after the counts, or, in reporters without one, from the tree before them. */
function nodeSpecFailures(lines: string[], treeFrom: number, countsAt: number, countsEnd: number): string[] {
  const section = lines.findIndex((l, i) => i >= countsEnd && /^✖ failing tests:\s*$/.test(l));
  if (section !== -1) return namesIn(lines, section + 1, lines.length, /^✖ (.+?)(?: \([\d.]+m?s\))?(?: # .*)?$/);
  const suites = new Set(namesIn(lines, treeFrom, countsAt, /^\s*▶ (.+)$/));
  return namesIn(lines, treeFrom, countsAt, /^\s*✖ (.+?)(?: \([\d.]+m?s\))?(?: # .*)?$/, (name) => suites.has(name));
}

/** TAP `not ok` entries, less suites (their YAML block says `type: 'suite'`); `\#` unescaped. */
function nodeTapFailures(lines: string[], from: number, to: number): string[] {
  const names = new Set<string>();
  for (let i = from; i < to; i++) {
    const entry = /^(\s*)not ok \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/.exec(lines[i] as string);
    if (!entry) continue;
    let suite = false;
    for (let j = i + 1; j < to && !/^\s*\.\.\.\s*$/.test(lines[j] as string) && j < i + 200; j++) {
      if (/^\s*type: 'suite'\s*$/.test(lines[j] as string)) suite = true;
      if (j === i + 1 && !/^\s*---\s*$/.test(lines[j] as string)) break;
    }
    if (!suite) names.add((entry[2] as string).replace(/\\([#\\])/g, '$1'));
  }
  return [...names];
}

const parseNodeTest: Parser = (lines) => {
  const at = lastIndex(lines, (l) => /^(?:ℹ|#) tests \d+\s*$/.test(l));
  if (at === -1) return undefined;
  const counts: Record<string, number> = {};
  let end = at;
  for (; end < Math.min(lines.length, at + 10); end++) {
    const count = NODE_COUNT.exec(lines[end] as string);
    if (!count) break;
    counts[count[1] as string] = Number(count[2]);
  }
  if (counts.pass === undefined || counts.fail === undefined) return undefined;
  const tap = (lines[at] as string).startsWith('#');
  const from = lastIndex(lines, (l) => /^(?:ℹ|#) tests \d+\s*$/.test(l), at) + 1;
  return {
    passed: counts.pass,
    failed: counts.fail + (counts.cancelled ?? 0),
    skipped: (counts.skipped ?? 0) + (counts.todo ?? 0),
    failingTests: tap ? nodeTapFailures(lines, from, at) : nodeSpecFailures(lines, from, at, end),
  };
};

// `==== 3 failed, 3 passed, 1 skipped, 1 error in 0.71s ====`, or without the rules under -q.
const PYTEST_SUMMARY =
  /^=*\s*((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)(?:, )?)+|no tests ran) in [\d.]+s(?: \([^)]*\))?\s*=*\s*$/;

/** The test id from a short-summary entry: `tests/test_x.py::test_y[a - b] - message`. */
function pytestId(entry: string): string {
  const bracket = entry.indexOf('[');
  const space = entry.indexOf(' ');
  if (bracket !== -1 && (space === -1 || bracket < space)) return /^(.+?\])(?= - |\s*$)/.exec(entry)?.[1] ?? entry;
  return space === -1 ? entry : entry.slice(0, space);
}

const parsePytest: Parser = (lines) => {
  const at = lastIndex(lines, (l) => PYTEST_SUMMARY.test(l));
  if (at === -1) return undefined;
  const counts = countWords(PYTEST_SUMMARY.exec(lines[at] as string)?.[1] ?? '');
  const from = lastIndex(lines, (l) => PYTEST_SUMMARY.test(l), at) + 1;
  let failingTests = namesIn(lines, from, at, /^(?:FAILED|ERROR) (.+)$/).map(pytestId);
  // -rN or similar hides the short summary; -v still names each result.
  if (failingTests.length === 0) failingTests = namesIn(lines, from, at, /^(\S+::\S+) (?:FAILED|ERROR)\b/);
  return {
    passed: (counts.passed ?? 0) + (counts.xpassed ?? 0),
    failed: (counts.failed ?? 0) + (counts.error ?? 0) + (counts.errors ?? 0),
    skipped: (counts.skipped ?? 0) + (counts.xfailed ?? 0),
    failingTests: [...new Set(failingTests)],
  };
};

const UNITTEST_RAN = /^Ran (\d+) tests? in [\d.]+s\s*$/;

const parseUnittest: Parser = (lines) => {
  const at = lastIndex(lines, (l) => UNITTEST_RAN.test(l));
  if (at === -1) return undefined;
  const ran = Number(UNITTEST_RAN.exec(lines[at] as string)?.[1]);
  const status = lines.slice(at + 1, at + 4).find((l) => /^(?:OK|FAILED)\b/.test(l)) ?? '';
  const detail = /\((.*)\)/.exec(status)?.[1] ?? '';
  const count = (key: string) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(detail)?.[1] ?? 0);
  const from = lastIndex(lines, (l) => UNITTEST_RAN.test(l), at) + 1;
  const failingTests = namesIn(lines, from, at, /^(?:FAIL|ERROR|UNEXPECTED SUCCESS): (.+)$/);
  const failed = status ? count('failures') + count('errors') + count('unexpected successes') : failingTests.length;
  const skipped = count('skipped') + count('expected failures');
  return { passed: Math.max(0, ran - failed - skipped), failed, skipped, failingTests };
};

const GO_RESULT = /^\s*--- (PASS|FAIL|SKIP): (\S+) \(/;
const GO_PACKAGE = /^(ok|FAIL|\?)\s+(\S+)\s+(?:[\d.]+s|\(cached\)|\[[^\]]+\])/;

const parseGo: Parser = (lines) => {
  let passed = 0;
  let skipped = 0;
  let verbose = false;
  let packages = 0;
  let failsInPackage = 0;
  const failingTests: string[] = [];
  for (const line of lines) {
    if (line.startsWith('=== RUN')) verbose = true;
    const result = GO_RESULT.exec(line);
    if (result?.[1] === 'PASS') {
      passed++;
      verbose = true;
    } else if (result?.[1] === 'SKIP') {
      skipped++;
    } else if (result) {
      failingTests.push(result[2] as string);
      failsInPackage++;
    }
    if (result) continue;
    const pkg = GO_PACKAGE.exec(line);
    if (!pkg) continue;
    packages++;
    // A package can fail without naming a test (build failure, panic outside a test, TestMain): name the package.
    if (pkg[1] === 'FAIL' && failsInPackage === 0) failingTests.push(pkg[2] as string);
    failsInPackage = 0;
  }
  if (packages === 0 && failingTests.length === 0 && passed === 0) return undefined;
  return { passed: verbose ? passed : null, failed: failingTests.length, skipped: verbose ? skipped : null, failingTests: [...new Set(failingTests)] };
};

const CARGO_RESULT = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out/;

const parseCargo: Parser = (lines) => {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let found = false;
  const names = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const result = CARGO_RESULT.exec(line);
    if (result) {
      found = true;
      passed += Number(result[1]);
      failed += Number(result[2]);
      skipped += Number(result[3]);
      continue;
    }
    const failure = /^test (.+) \.\.\. FAILED\s*$/.exec(line);
    if (failure) names.add(failure[1] as string);
    // The closing `failures:` list names each failed test right under it, four spaces in.
    if (line === 'failures:') for (let j = i + 1; j < lines.length && /^ {4}\S/.test(lines[j] as string); j++) names.add((lines[j] as string).trim());
  }
  return found ? { passed, failed, skipped, failingTests: [...names] } : undefined;
};

const MAVEN_TOTALS = /^Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)(, Time elapsed.*)?$/;

const parseMaven: Parser = (allLines) => {
  const lines = allLines.map((l) => l.replace(/^\[(?:INFO|ERROR|WARNING|WARN)\] ?/, ''));
  // Each module's `Results:` ends with a total; per-class lines (with `Time elapsed`) count only when no total was printed.
  const totals = lines.map((l) => MAVEN_TOTALS.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const summaries = totals.filter((m) => m[5] === undefined);
  const used = summaries.length > 0 ? summaries : totals;
  if (used.length === 0) return undefined;
  const sum = (k: number) => used.reduce((total, m) => total + Number(m[k]), 0);
  const failed = sum(2) + sum(3);
  const skipped = sum(4);
  const failingTests = lines.flatMap((l) => {
    if (l.startsWith('Tests run:')) return [];
    const v3 = /^(.+?) -- Time elapsed: .*<<< (?:FAILURE|ERROR)!\s*$/.exec(l); // surefire 3: `pkg.Class.method -- Time elapsed`
    if (v3) return [v3[1] as string];
    const v2 = /^(\S+)\((\S+)\)\s+Time elapsed: .*<<< (?:FAILURE|ERROR)!\s*$/.exec(l); // surefire 2: `method(pkg.Class)  Time elapsed`
    return v2 ? [`${v2[2]}.${v2[1]}`] : [];
  });
  return { passed: Math.max(0, sum(1) - failed - skipped), failed, skipped, failingTests: [...new Set(failingTests)] };
};

/** Output parsers by runner; gradle and dotnet have none, for lack of real recordings to test one on. */
const PARSERS: Partial<Record<TestRunnerId, Parser>> = {
  jest: parseJest,
  vitest: parseVitest,
  mocha: parseMocha,
  'node-test': parseNodeTest,
  pytest: parsePytest,
  unittest: parseUnittest,
  go: parseGo,
  cargo: parseCargo,
  maven: parseMaven,
};

/** Order tried when the command does not name the runner; each keys on a summary no other prints. */
const DETECTION_ORDER: TestRunnerId[] = ['jest', 'vitest', 'mocha', 'node-test', 'pytest', 'unittest', 'go', 'cargo', 'maven'];

/**
 * The result of a test run from its raw terminal output (ANSI and shell-integration sequences
 * allowed). `hint` is the runner the command named; for npm/yarn/pnpm or no hint the runner is
 * recognised from the output, and when the hinted runner's summary is missing the others are tried
 * too (a `go test` hint gives way to nothing but a real summary). Undefined when no runner's
 * summary is found.
 */
export function parseTestOutput(output: string, hint?: TestRunnerId): TestResult | undefined {
  const lines = stripTerminalSequences(output).split('\n');
  const first = hint && !PACKAGE_MANAGER_RUNNERS.has(hint) && PARSERS[hint] ? [hint] : [];
  for (const runner of [...first, ...DETECTION_ORDER.filter((r) => r !== hint)]) {
    const counts = PARSERS[runner]?.(lines);
    if (counts) return { runner, ...counts };
  }
  return undefined;
}
