// Which paths are tests, and splitting a git diff into the part that touches them and the rest
// (SWE-bench's patch / test_patch). A path is a test by the conventions of the major ecosystems,
// or by evidence from the task itself: it defines a test name seen in a recorded run, or a
// recorded test command names it. Conventions alone miss a root-level `check.js` run as the
// suite; evidence alone misses a test file whose tests never ran.

/** Folders that hold tests (and their fixtures and data) in every major ecosystem. */
const TEST_DIR = /(^|\/)(tests?|__tests__|__mocks__|__snapshots__|__fixtures__|specs?|testing|testdata|test-data|t|e2e|cypress|androidTest)\//i;

/** File names, by ecosystem; each is matched against the last path segment. */
const TEST_FILE: RegExp[] = [
  // A file named for what it holds: `test.js`, `tests.py`, `spec.rb`, `Test.java`... at any depth.
  /^(tests?|specs?)\.[a-z0-9]+$/i,
  // Python (pytest, unittest): test_x.py, x_test.py, x_tests.py; fixtures in conftest.py.
  /^test_.*\.py$/i,
  /_tests?\.py$/i,
  /^conftest\.py$/i,
  // Go, Dart, Elixir, Ruby (minitest), C and C++ (googletest): x_test.go, x_test.exs, x_unittest.cc.
  /_(test|unittest)\.(go|dart|exs?|rb|c|cc|cpp|cxx|h|hpp)$/i,
  /^test_.*\.(rb|c|cc|cpp)$/i,
  // Ruby RSpec, Python and others with a `_spec` suffix.
  /_spec\.[a-z0-9]+$/i,
  // JavaScript/TypeScript and anything that names tests with a dotted or dashed suffix:
  // x.test.ts, x.spec.js, x-test.js, x.tests.mjs, x.e2e-spec.ts.
  /[._-](tests?|specs?|e2e-spec)\.[a-z0-9]+$/i,
  // JVM, .NET, Swift, PHP, Haskell: FooTest.java, FooTests.cs, FooIT.java, FooSpec.scala, TestFoo.java.
  /^[A-Za-z0-9]+(Tests?|Spec|IT|TestCase)\.(java|kt|kts|scala|groovy|cs|fs|vb|swift|php|hs|m|mm)$/,
  /^Test[A-Z][A-Za-z0-9]*\.(java|kt|scala|groovy|cs|php)$/,
  // R testthat: test-x.R; shell (bats): x.bats.
  /^test-.*\.r$/i,
  /\.bats$/i,
];

/** Documents and data named like tests (`SPEC.md`, `api-spec.yaml`) outside a test folder are not tests. */
const NOT_CODE = /\.(md|markdown|rst|txt|adoc|html?|pdf|json|ya?ml|toml|xml|csv)$/i;

/** Whether a path is a test by the conventions of its ecosystem alone. */
export function isTestPath(path: string): boolean {
  if (TEST_DIR.test(path)) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !NOT_CODE.test(name) && TEST_FILE.some((re) => re.test(name));
}

/** What a task's test runs say about where its tests are. */
export interface TestEvidence {
  /** Names of tests seen in recorded runs (failing or passing). */
  testNames: string[];
  /** The recorded test commands. */
  commands: string[];
}

export interface TestPathReason {
  path: string;
  /** Why it is a test: `convention`, `defines "<test name>"` or `named by "<command>"`. */
  why: string;
}

/** The sections of a `git diff` output, one per file, with the path each touches. */
export function diffSections(diff: string): { path: string; text: string }[] {
  const sections: { path: string; text: string }[] = [];
  const starts = [...diff.matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : diff.length;
    sections.push({ path: m[2]!, text: diff.slice(m.index, end) });
  });
  return sections;
}

/**
 * The parts of a test name a test file would spell out: a pytest id's file and function
 * (`tests/a.py::TestX::test_y[1]` → `tests/a.py`, `test_y`), a JUnit/Go name's method
 * (`pkg.FooTest.testBar` → `testBar`), or the whole title (`range of one`, as written in `it(...)`).
 */
function nameParts(name: string): { file?: string; words: string[] } {
  const withoutParams = name.replace(/\[.*\]$/, '');
  if (withoutParams.includes('::')) {
    const parts = withoutParams.split('::');
    return { file: parts[0]!, words: [parts.at(-1)!] };
  }
  // `Class.method` or `Class#method` or Go's `TestX/subtest`: the method or top-level test.
  const dotted = /^[\w$.]+[.#]([\w$]+)$/.exec(withoutParams);
  if (dotted) return { words: [dotted[1]!] };
  const goSub = /^(Test\w+)\//.exec(withoutParams);
  if (goSub) return { words: [goSub[1]!] };
  return { words: [withoutParams] };
}

/** Words too short or too common to prove a file defines a test. */
const MIN_NAME_LENGTH = 4;

function definesName(text: string, word: string): boolean {
  if (word.length < MIN_NAME_LENGTH) return false;
  if (/^[\w$]+$/.test(word)) return new RegExp(`(^|[^\\w$])${word.replace(/\$/g, '\\$')}([^\\w$]|$)`, 'm').test(text);
  // A title: as a string literal in a test call (`it('range of one'`, `test("…"`).
  return ["'", '"', '`'].some((q) => text.includes(`${q}${word}${q}`));
}

/** Programs whose path arguments are packages or projects (sources included), not test files. */
const PACKAGE_RUNNERS = /^(go|cargo|dotnet|mvn|mvnw|gradle|gradlew|make|bazel|npm|yarn|pnpm|npx)$/;

/** Path-like arguments of a command line (`pytest tests/unit -k x` → `tests/unit`), normalised. */
function pathArguments(command: string): { paths: string[]; packages: boolean } {
  const words = command.split(/\s+/).filter(Boolean);
  const program = (words.find((w) => !/^\w+=/.test(w)) ?? '').replace(/^.*\//, '');
  const paths = words
    .filter((w) => !w.startsWith('-') && !/^\w+=/.test(w) && (w.includes('/') || /\.[a-z0-9]+$/i.test(w)))
    .map((w) =>
      w
        .replace(/^['"]|['"]$/g, '')
        .replace(/::.*$/, '')
        .replace(/^\.\//, '')
        .replace(/\/+$/, ''),
    )
    .filter((w) => w && w !== '.' && !w.startsWith('..') && !w.startsWith('/'));
  return { paths, packages: PACKAGE_RUNNERS.test(program) };
}

/** Each path of the diff that is a test, and why; paths not listed are not tests. */
export function testPathsOf(sections: { path: string; text: string }[], evidence: TestEvidence = { testNames: [], commands: [] }): TestPathReason[] {
  const names = [...new Set(evidence.testNames)].map((n) => ({ name: n, ...nameParts(n) }));
  const commands = evidence.commands.map((c) => ({ command: c, ...pathArguments(c) }));
  const out: TestPathReason[] = [];
  for (const { path, text } of sections) {
    if (isTestPath(path)) {
      out.push({ path, why: 'convention' });
      continue;
    }
    const defined = names.find((n) => n.file === path || n.words.some((w) => definesName(text, w)));
    if (defined) {
      out.push({ path, why: `defines "${defined.name}"` });
      continue;
    }
    const named = commands.find((c) => c.paths.some((p) => p === path || (!c.packages && path.startsWith(`${p}/`))));
    if (named) out.push({ path, why: `named by "${named.command}"` });
  }
  return out;
}

export function splitTestPatch(diff: string, evidence?: TestEvidence): { patch: string; testPatch: string; testFiles: TestPathReason[] } {
  const sections = diffSections(diff);
  const testFiles = testPathsOf(sections, evidence);
  const isTest = new Set(testFiles.map((t) => t.path));
  return {
    patch: sections
      .filter((s) => !isTest.has(s.path))
      .map((s) => s.text)
      .join(''),
    testPatch: sections
      .filter((s) => isTest.has(s.path))
      .map((s) => s.text)
      .join(''),
    testFiles,
  };
}
