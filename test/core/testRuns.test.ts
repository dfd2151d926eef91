import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { excerpt } from '../../src/core/terminal/ansi';
import { detectTestCommand, TestRunnerId } from '../../src/core/testRuns/detect';
import { parseTestOutput, TestResult } from '../../src/core/testRuns/parse';

const fixtures = join(__dirname, '../../../test/fixtures/test-output');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('detectTestCommand', () => {
  const runs: [string, TestRunnerId, string?][] = [
    ['npm test', 'npm'],
    ['npm t', 'npm'],
    ['npm run test', 'npm'],
    ['npm run test:unit -- --watch=false', 'npm'],
    ['npm run-script test:e2e', 'npm'],
    ['npm --prefix web test', 'npm'],
    ['yarn test', 'yarn'],
    ['yarn run test:ci', 'yarn'],
    ['yarn workspace api test', 'yarn'],
    ['pnpm test', 'pnpm'],
    ['pnpm run test', 'pnpm'],
    ['pnpm --filter web test:unit', 'pnpm'],
    ['npx jest', 'jest'],
    ['npx --yes vitest run', 'vitest'],
    ['npm exec -- mocha "test/**/*.js"', 'mocha'],
    ['yarn jest --coverage', 'jest'],
    ['yarn exec vitest', 'vitest'],
    ['pnpm exec jest -t "adds"', 'jest'],
    ['pnpm dlx vitest run', 'vitest'],
    ['bunx mocha', 'mocha'],
    ['jest', 'jest'],
    ['./node_modules/.bin/jest src/calc.test.js', 'jest'],
    ['node --experimental-vm-modules node_modules/jest/bin/jest.js', 'jest'],
    ['vitest', 'vitest'],
    ['vitest run', 'vitest'],
    ['mocha --reporter dot', 'mocha'],
    ['node --test', 'node-test'],
    ['node --test --test-name-pattern="adds" test/', 'node-test'],
    ['pytest', 'pytest'],
    ['pytest -x tests/test_calc.py::test_add', 'pytest'],
    ['py.test -q', 'pytest'],
    ['python -m pytest', 'pytest'],
    ['python3 -m pytest -k "add and not slow"', 'pytest'],
    ['python3.12 -X dev -m pytest', 'pytest'],
    ['uv run pytest', 'pytest'],
    ['poetry run python -m pytest', 'pytest'],
    ['python -m unittest', 'unittest'],
    ['python3 -m unittest discover -s tests -v', 'unittest'],
    ['python manage.py test', 'unittest'],
    ['./manage.py test polls', 'unittest'],
    ['go test ./...', 'go'],
    ['go test -run TestAdd -v ./calc', 'go'],
    ['go -C api test ./...', 'go'],
    ['cargo test', 'cargo'],
    ['cargo +nightly test -- --nocapture', 'cargo'],
    ['mvn test', 'maven'],
    ['./mvnw test -Dtest=CalcTest', 'maven'],
    ['mvn -q verify', 'maven'],
    ['mvn clean install', 'maven'], // install runs the test phase on the way
    ['gradle test', 'gradle'],
    ['./gradlew build', 'gradle'],
    ['./gradlew :app:test --tests "*CalcTest"', 'gradle'],
    ['dotnet test', 'dotnet'],
  ];
  for (const [line, runner] of runs) {
    it(`${line} → ${runner}`, () => {
      assert.deepEqual(detectTestCommand(line), { runner, command: line });
    });
  }

  const chained: [string, TestRunnerId, string][] = [
    ['CI=1 npm test', 'npm', 'CI=1 npm test'],
    ['  npm test', 'npm', 'npm test'],
    ['time npm test', 'npm', 'time npm test'],
    ['time -p pytest', 'pytest', 'time -p pytest'],
    ['sudo -E npm test', 'npm', 'sudo -E npm test'],
    ['env CI=true FORCE_COLOR=0 npx vitest run', 'vitest', 'env CI=true FORCE_COLOR=0 npx vitest run'],
    ['timeout 60 go test ./...', 'go', 'timeout 60 go test ./...'],
    ['cd web && npm test', 'npm', 'npm test'],
    ['cd web; CI=1 yarn test', 'yarn', 'CI=1 yarn test'],
    ['npm install && npm test', 'npm', 'npm test'],
    ['npm run build || npm test', 'npm', 'npm test'],
    ['npm test | tee test.log', 'npm', 'npm test'],
    ['npm test 2>&1 | tee test.log', 'npm', 'npm test'],
    ['pytest > out.txt 2>&1', 'pytest', 'pytest'],
    ['(cd api && go test ./...)', 'go', 'go test ./...'],
    ['bash -c "npm test"', 'npm', 'bash -c "npm test"'],
    ['npm test # rerun after fix', 'npm', 'npm test'],
    ['.\\mvnw.cmd test', 'maven', '.\\mvnw.cmd test'],
    ['npm.cmd test', 'npm', 'npm.cmd test'],
  ];
  for (const [line, runner, command] of chained) {
    it(`${JSON.stringify(line)} → ${runner} running ${JSON.stringify(command)}`, () => {
      assert.deepEqual(detectTestCommand(line), { runner, command });
    });
  }

  const notRuns = [
    'npm install',
    'npm i -D jest',
    'npm run build',
    'npm run testing', // only `test` and `test:*` scripts count
    'npm run pretest',
    'yarn',
    'yarn add vitest',
    'pnpm install',
    'echo npm test',
    'git commit -m "npm test"',
    "git commit -m 'fix: make npm test pass'",
    'cat test.js',
    'ls tests/',
    'vim calc.test.js',
    'node app.js --test', // --test after the script belongs to the script
    'node index.js',
    'pytest-watch', // a watcher that wraps pytest: its own name, not a runner run
    'ptw',
    'jest --version',
    'pytest --collect-only',
    'python -m pip install pytest',
    'python script.py',
    'go build ./...',
    'make test',
    'go vet ./...',
    'cargo build',
    'cargo test --no-run',
    'mvn compile',
    'mvn -DskipTests install',
    'gradle assemble',
    './gradlew build -x test',
    'dotnet build',
    'vitest bench',
    '',
    '   ',
    'git log --grep="npm test"',
  ];
  for (const line of notRuns) {
    it(`not a test run: ${JSON.stringify(line)}`, () => {
      assert.equal(detectTestCommand(line), undefined);
    });
  }
});

// Expected results come from how each sample project in record.sh is built (see the comments
// there), not from the parser.
type Expected = Omit<TestResult, 'runner'> & { runner: TestRunnerId; hint?: TestRunnerId };

const JS_FAIL = { passed: 4, failed: 2, skipped: 1 }; // calc: adds ✓ subtracts ✗ multiplies ✓ divides (skip); text › shout: uppercases ✓ keeps digits ✗; top-level ✓
const JS_PASS = { passed: 3, failed: 0, skipped: 0, failingTests: [] }; // calc only, bug fixed
const JEST_FAILING = ['calc › subtracts numbers', 'text › shout › keeps digits'];
const VITEST_FAILING = ['calc.test.js > calc > subtracts numbers', 'text.test.js > text > shout > keeps digits'];
const PYTEST_FAILING = [
  'tests/test_calc.py::test_subtract',
  'tests/test_calc.py::test_double[3-7]',
  'tests/test_text.py::TestShout::test_keeps_digits',
  'tests/test_text.py::test_uses_fixture', // its fixture raises: an error
];
const UNITTEST_FAILING = [
  'test_subtract (test_calc.CalcTest.test_subtract)',
  'test_keeps_digits (test_calc.TextTest.test_keeps_digits)',
  'test_lookup (test_calc.TextTest.test_lookup)', // raises KeyError: an error
];
const GO_FAILING = ['TestSubtract', 'TestDouble', 'TestDouble/three']; // TestDouble fails because its subtest three does

const EXPECTED: Record<string, Expected> = {
  'jest-fail.txt': { runner: 'jest', hint: 'jest', ...JS_FAIL, failingTests: JEST_FAILING },
  'jest-pass.txt': { runner: 'jest', hint: 'jest', ...JS_PASS },
  // broken.test.js does not parse; calc's 3 tests pass. Jest counts no test for the broken file.
  'jest-suite-error.txt': { runner: 'jest', hint: 'jest', passed: 3, failed: 1, skipped: 0, failingTests: ['./broken.test.js'] },
  // First run as jest-fail, then the subtract bug is fixed and jest re-runs: only the last run counts.
  'jest-watch-fail.txt': { runner: 'jest', hint: 'jest', passed: 5, failed: 1, skipped: 1, failingTests: ['text › shout › keeps digits'] },
  'npm-jest-fail.txt': { runner: 'jest', hint: 'npm', ...JS_FAIL, failingTests: JEST_FAILING },
  'npm-jest-shell-integration-fail.txt': { runner: 'jest', hint: 'npm', ...JS_FAIL, failingTests: JEST_FAILING },
  'vitest-fail.txt': { runner: 'vitest', hint: 'vitest', ...JS_FAIL, failingTests: VITEST_FAILING },
  'vitest-pass.txt': { runner: 'vitest', hint: 'vitest', ...JS_PASS },
  'vitest-suite-error.txt': { runner: 'vitest', hint: 'vitest', passed: 3, failed: 1, skipped: 0, failingTests: ['broken.test.js'] },
  'npm-vitest-fail.txt': { runner: 'vitest', hint: 'npm', ...JS_FAIL, failingTests: VITEST_FAILING },
  'mocha-fail.txt': { runner: 'mocha', hint: 'mocha', ...JS_FAIL, failingTests: ['calc subtracts numbers', 'text shout keeps digits'] },
  'mocha-pass.txt': { runner: 'mocha', hint: 'mocha', ...JS_PASS },
  'node-test-fail.txt': { runner: 'node-test', hint: 'node-test', ...JS_FAIL, failingTests: ['subtracts numbers', 'keeps digits'] },
  'node-test-tap-fail.txt': { runner: 'node-test', hint: 'node-test', ...JS_FAIL, failingTests: ['subtracts numbers', 'keeps digits'] },
  'node-test-pass.txt': { runner: 'node-test', hint: 'node-test', ...JS_PASS },
  // test_add ✓ test_subtract ✗ test_divide (skip) test_double[1-2] ✓ test_double[3-7] ✗; TestShout: uppercases ✓ keeps_digits ✗; test_uses_fixture errors
  'pytest-fail.txt': { runner: 'pytest', hint: 'pytest', passed: 3, failed: 4, skipped: 1, failingTests: PYTEST_FAILING },
  'pytest-verbose-fail.txt': { runner: 'pytest', hint: 'pytest', passed: 3, failed: 4, skipped: 1, failingTests: PYTEST_FAILING },
  'pytest-pass.txt': { runner: 'pytest', hint: 'pytest', passed: 3, failed: 0, skipped: 0, failingTests: [] },
  // tests/test_broken.py does not import: collection is interrupted and nothing runs.
  'pytest-collection-error.txt': { runner: 'pytest', hint: 'pytest', passed: 0, failed: 1, skipped: 0, failingTests: ['tests/test_broken.py'] },
  // CalcTest: add ✓ subtract ✗ divide (skip); TextTest: uppercases ✓ keeps_digits ✗ lookup (error)
  'unittest-fail.txt': { runner: 'unittest', hint: 'unittest', passed: 2, failed: 3, skipped: 1, failingTests: UNITTEST_FAILING },
  'unittest-verbose-fail.txt': { runner: 'unittest', hint: 'unittest', passed: 2, failed: 3, skipped: 1, failingTests: UNITTEST_FAILING },
  'unittest-pass.txt': { runner: 'unittest', hint: 'unittest', passed: 3, failed: 0, skipped: 0, failingTests: [] },
  // Without -v go names only failures: passes and skips are not printed.
  'go-fail.txt': { runner: 'go', hint: 'go', passed: null, failed: 3, skipped: null, failingTests: GO_FAILING },
  'go-pass.txt': { runner: 'go', hint: 'go', passed: null, failed: 0, skipped: null, failingTests: [] },
  // calc: TestAdd ✓ TestSubtract ✗ TestDouble ✗ (one ✓, three ✗) TestDivide (skip); text: TestShout ✓
  'go-verbose-fail.txt': { runner: 'go', hint: 'go', passed: 3, failed: 3, skipped: 1, failingTests: GO_FAILING },
  // TestAdd, TestSubtract, TestDouble, TestDouble/one, TestDouble/three, TestShout
  'go-verbose-pass.txt': { runner: 'go', hint: 'go', passed: 6, failed: 0, skipped: 0, failingTests: [] },
  // calc does not compile: go names the package; text passes.
  'go-build-fail.txt': { runner: 'go', hint: 'go', passed: null, failed: 1, skipped: null, failingTests: ['example.com/sample/calc'] },
  // adds ✓ subtracts ✗ divides (ignored) doubles ✓ text::keeps_digits ✗
  'cargo-fail.txt': { runner: 'cargo', hint: 'cargo', passed: 2, failed: 2, skipped: 1, failingTests: ['tests::subtracts', 'tests::text::keeps_digits'] },
  // 2 unit tests, 1 integration test, 1 doc test, in three `test result` blocks
  'cargo-pass.txt': { runner: 'cargo', hint: 'cargo', passed: 4, failed: 0, skipped: 0, failingTests: [] },
  // CalcTest: adds ✓ subtracts ✗ divides (disabled) doubles ✓; TextTest: uppercases ✓ keepsDigits ✗ lookup (error)
  'maven-fail.txt': {
    runner: 'maven',
    hint: 'maven',
    passed: 3,
    failed: 3,
    skipped: 1,
    failingTests: ['sample.CalcTest.subtracts', 'sample.TextTest.keepsDigits', 'sample.TextTest.lookup'],
  },
  'maven-pass.txt': { runner: 'maven', hint: 'maven', passed: 2, failed: 0, skipped: 0, failingTests: [] },
};

/** Fixtures that record a command whose output has no result in it. */
const NO_RESULT: Record<string, TestRunnerId> = {
  'cargo-compile-error.txt': 'cargo', // the crate does not compile, no test runs
};

function sorted(result: TestResult | undefined): TestResult | undefined {
  return result && { ...result, failingTests: [...result.failingTests].sort() };
}

describe('parseTestOutput on recorded runs', () => {
  it('every recorded fixture has an expectation', () => {
    const recorded = readdirSync(fixtures).filter((f) => f.endsWith('.txt'));
    assert.deepEqual(recorded.sort(), [...Object.keys(EXPECTED), ...Object.keys(NO_RESULT)].sort());
  });

  for (const [name, { hint, ...expected }] of Object.entries(EXPECTED)) {
    it(`${name}: read with the command's runner as hint`, () => {
      assert.deepEqual(sorted(parseTestOutput(fixture(name), hint)), sorted(expected));
    });

    it(`${name}: recognised from the output alone`, () => {
      assert.deepEqual(sorted(parseTestOutput(fixture(name))), sorted(expected));
    });
  }

  for (const [name, hint] of Object.entries(NO_RESULT)) {
    it(`${name}: no result`, () => {
      assert.equal(parseTestOutput(fixture(name), hint), undefined);
      assert.equal(parseTestOutput(fixture(name)), undefined);
    });
  }

  it('reads the summary that survives an excerpt of the output', () => {
    const full = fixture('pytest-fail.txt');
    const cut = excerpt(full, 1500);
    assert.equal(cut.truncated, true);
    assert.deepEqual(sorted(parseTestOutput(cut.text, 'pytest')), sorted(parseTestOutput(full, 'pytest')));
  });

  it('detects the runner behind npm from the command, then reads its output', () => {
    const command = detectTestCommand('cd sample && npm test');
    assert.equal(command?.runner, 'npm');
    assert.equal(parseTestOutput(fixture('npm-vitest-fail.txt'), command?.runner)?.runner, 'vitest');
  });

  it('trusts the output over a wrong hint', () => {
    assert.equal(parseTestOutput(fixture('cargo-fail.txt'), 'pytest')?.runner, 'cargo');
  });

  it('finds nothing in output that is no test run', () => {
    assert.equal(parseTestOutput(''), undefined);
    assert.equal(parseTestOutput('added 120 packages in 3s\r\n\x1b[1mfound 0 vulnerabilities\x1b[22m\r\n'), undefined);
    assert.equal(parseTestOutput(fixture('cargo-compile-error.txt'), 'gradle'), undefined);
  });
});
