// The SWE-bench harness's own rules for reading a test log and grading it, written again from its
// source (SWE-bench 5.0.2, see swebenchHarness.ts): the log parsers Codetrail's rows name
// (swebench/harness/log_parsers/*.py) and the pass/fail tests of grading.py. Validation reads runs
// with these, so an instance that validates here is graded the same way by the harness.

export type TestStatus = 'FAILED' | 'PASSED' | 'SKIPPED' | 'ERROR' | 'XFAIL';
export type StatusMap = Map<string, TestStatus>;

const STATUSES: TestStatus[] = ['FAILED', 'PASSED', 'SKIPPED', 'ERROR', 'XFAIL'];

/** Python's `str.strip()` on one line. */
const lines = (log: string) => log.split('\n').map((l) => l.trim());

/** javascript.py `parse_log_tap`: `ok N name` / `not ok N name` (name keeps TAP's `- `). */
function parseTap(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of lines(log)) {
    const m = /^(ok|not ok) (\d+) (.+)$/.exec(line);
    if (m) map.set(m[3]!, m[1] === 'ok' ? 'PASSED' : 'FAILED');
  }
  return map;
}

/** python.py `parse_log_pytest`: `-rA` summary lines `STATUS id` (`FAILED id - message`). */
function parsePytest(log: string): StatusMap {
  const map: StatusMap = new Map();
  // Not stripped: the harness tests `line.startswith(status)` on the raw line.
  for (let line of log.split('\n')) {
    const status = STATUSES.find((s) => line.startsWith(s));
    if (!status) continue;
    if (line.startsWith('FAILED')) line = line.replaceAll(' - ', ' ');
    const words = line.split(/\s+/).filter(Boolean);
    if (words.length <= 1) continue;
    if (words[0] === 'SKIPPED' && /^\[\d+\]$/.test(words[1]!)) continue;
    map.set(words[1]!, words[0] as TestStatus);
  }
  return map;
}

/** javascript.py `parse_log_jest` (`--verbose`): `✓ name (5 ms)`, `✕ name`, `○ name`. */
function parseJest(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of lines(log)) {
    const m = /^\s*(✓|✕|○)\s(.+?)(?:\s\((\d+\s*m?s)\))?$/.exec(line);
    if (m) map.set(m[2]!.trim(), m[1] === '✓' ? 'PASSED' : m[1] === '✕' ? 'FAILED' : 'SKIPPED');
  }
  return map;
}

/** go.py `parse_log_gotest` (`-v`): `--- PASS: TestX (0.00s)`. */
function parseGotest(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of lines(log)) {
    const m = /^--- (PASS|FAIL|SKIP): (.+) \((.+)\)$/.exec(line);
    if (m) map.set(m[2]!, m[1] === 'PASS' ? 'PASSED' : m[1] === 'FAIL' ? 'FAILED' : 'SKIPPED');
  }
  return map;
}

/** rust.py `parse_log_cargo`: `test name ... ok` / `... FAILED`. */
function parseCargo(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of lines(log)) {
    const m = /^test\s+(\S+)\s+\.\.\.\s+(\w+)$/.exec(line);
    if (m?.[2] === 'ok') map.set(m[1]!, 'PASSED');
    else if (m?.[2] === 'FAILED') map.set(m[1]!, 'FAILED');
  }
  return map;
}

/** The parsers rows name, by their PARSER_REGISTRY key. */
export const LOG_PARSERS: Record<string, (log: string) => StatusMap> = {
  parse_log_tap: parseTap,
  parse_log_pytest: parsePytest,
  parse_log_jest: parseJest,
  parse_log_gotest: parseGotest,
  parse_log_cargo: parseCargo,
};

/** grading.py `test_passed`: PASSED or XFAIL (exact ids; the truncated-id fallback is for old pytest data). */
export function testPassed(id: string, map: StatusMap): boolean {
  const s = map.get(id);
  return s === 'PASSED' || s === 'XFAIL';
}

/** grading.py `test_failed`: absent, FAILED, ERROR, or SKIPPED (a skipped F2P test is no resolution). */
export function testFailed(id: string, map: StatusMap): boolean {
  const s = map.get(id);
  return s === undefined || s === 'FAILED' || s === 'ERROR' || s === 'SKIPPED';
}

/**
 * grading.py under `pass_and_fail`: resolved when every FAIL_TO_PASS and PASS_TO_PASS test passes
 * (a skipped PASS_TO_PASS test is kept, not a regression). An empty list counts as all passed.
 */
export function resolved(map: StatusMap, failToPass: string[], passToPass: string[]): boolean {
  return failToPass.every((id) => testPassed(id, map)) && passToPass.every((id) => testPassed(id, map) || map.get(id) === 'SKIPPED');
}
