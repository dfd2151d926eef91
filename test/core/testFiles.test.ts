// Which files of a task's diff are tests: by each ecosystem's conventions, and by what the
// task's own test runs show (names a file defines, paths a test command names).
import { strict as assert } from 'node:assert';
import { isTestPath, splitTestPatch, testPathsOf } from '../../src/core/export/testFiles';

const section = (path: string, added: string) => ({
  path,
  text: `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1,2 @@\n ${added.split('\n').join('\n+')}\n`,
});

describe('test files', () => {
  const tests: [string, string][] = [
    ['test.js', 'root-level test.js (node)'],
    ['tests.py', 'root-level tests.py'],
    ['test.py', 'root-level test.py'],
    ['spec.rb', 'root-level spec.rb'],
    ['test_range.py', 'pytest test_*.py'],
    ['pkg/range_test.py', 'pytest *_test.py'],
    ['conftest.py', 'pytest fixtures'],
    ['tests/unit/helpers.py', 'a helper under tests/'],
    ['test/range.js', 'under test/'],
    ['spec/models/user_spec.rb', 'RSpec'],
    ['lib/user_spec.rb', 'RSpec file outside spec/'],
    ['test/test_helper.rb', 'minitest'],
    ['src/__tests__/range.js', 'jest __tests__'],
    ['src/range.spec.ts', '*.spec.ts'],
    ['src/range.test.tsx', '*.test.*'],
    ['src/range-test.js', '*-test.js'],
    ['app/foo.e2e-spec.ts', 'angular e2e'],
    ['internal/range_test.go', 'go'],
    ['internal/testdata/input.txt', 'go testdata'],
    ['src/test/java/org/x/RangeTest.java', 'maven test tree'],
    ['core/RangeTest.java', '*Test.java outside src/test'],
    ['core/RangeTests.java', '*Tests.java'],
    ['core/RangeIT.java', 'failsafe *IT.java'],
    ['core/TestRange.java', 'Test*.java'],
    ['app/RangeSpec.scala', 'scalatest'],
    ['app/RangeTest.kt', 'kotlin'],
    ['Range.Tests/RangeTests.cs', '.NET'],
    ['Sources/RangeTests.swift', 'XCTest'],
    ['src/RangeTest.php', 'phpunit'],
    ['lib/range_test.exs', 'elixir'],
    ['lib/range_test.dart', 'dart'],
    ['src/range_unittest.cc', 'googletest'],
    ['tests/testthat/test-range.R', 'R testthat'],
    ['t/range.t', 'perl t/'],
    ['tests/integration.rs', 'cargo integration tests'],
    ['run.bats', 'bats'],
  ];
  const notTests: [string, string][] = [
    ['src/range.js', 'source'],
    ['latest.js', 'ends in "test" without a separator'],
    ['contest.py', 'ends in "test"'],
    ['src/testimony.py', 'starts with "test" without a separator'],
    ['src/attestation.go', 'contains "test"'],
    ['SPEC.md', 'a specification document'],
    ['api/openapi-spec.yaml', 'an API spec'],
    ['README.md', 'docs'],
    ['package.json', 'config'],
    ['src/Testament.java', 'Test followed by lower case'],
    ['src/Contest.java', 'ends in "test" without a capital'],
  ];
  for (const [path, why] of tests) it(`${path} is a test (${why})`, () => assert.equal(isTestPath(path), true));
  for (const [path, why] of notTests) it(`${path} is not a test (${why})`, () => assert.equal(isTestPath(path), false));

  describe('evidence from the task', () => {
    const cases: { name: string; path: string; text: string; evidence: { testNames: string[]; commands: string[] }; why: RegExp | null }[] = [
      {
        name: 'a file that defines a failing test title',
        path: 'check.js',
        text: "test('range of one', () => {})",
        evidence: { testNames: ['range of one'], commands: [] },
        why: /defines "range of one"/,
      },
      {
        name: 'a pytest id names its file',
        path: 'checks/ranges.py',
        text: 'def test_one(): pass',
        evidence: { testNames: ['checks/ranges.py::test_one'], commands: [] },
        why: /defines/,
      },
      {
        name: 'a pytest function defined in the file',
        path: 'verify.py',
        text: 'def test_range_of_one():\n    assert True',
        evidence: { testNames: ['verify.py::test_range_of_one[1]'], commands: [] },
        why: /defines/,
      },
      {
        name: 'a JUnit method',
        path: 'src/main/Checks.java',
        text: 'void testRangeOfOne() {}',
        evidence: { testNames: ['org.x.Checks.testRangeOfOne'], commands: [] },
        why: /defines/,
      },
      {
        name: 'a file the test command runs',
        path: 'check.js',
        text: 'assert(1)',
        evidence: { testNames: [], commands: ['node check.js'] },
        why: /named by "node check.js"/,
      },
      {
        name: 'a folder the test command runs',
        path: 'checks/a.py',
        text: 'x = 1',
        evidence: { testNames: [], commands: ['python -m pytest checks/ -q'] },
        why: /named by/,
      },
      {
        name: 'a pytest node id on the command line',
        path: 'checks/a.py',
        text: 'x = 1',
        evidence: { testNames: [], commands: ['pytest checks/a.py::test_x'] },
        why: /named by/,
      },
      {
        name: 'source under a go package the command names',
        path: 'pkg/range.go',
        text: 'func Range() {}',
        evidence: { testNames: [], commands: ['go test ./pkg/...'] },
        why: null,
      },
      {
        name: 'source that merely shares a short word',
        path: 'src/range.js',
        text: 'function range() {}',
        evidence: { testNames: ['one'], commands: [] },
        why: null,
      },
      {
        name: 'source without evidence',
        path: 'src/range.js',
        text: 'function range() {}',
        evidence: { testNames: ['range of one'], commands: ['node --test'] },
        why: null,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const [found] = testPathsOf([section(c.path, c.text)], c.evidence);
        if (c.why === null) assert.equal(found, undefined);
        else assert.match(found?.why ?? '', c.why);
      });
    }
  });

  it('splits a diff into patch and test patch, keeping each file whole', () => {
    const diff = section('src/range.js', 'x').text + section('test.js', "test('range of one', f)").text + section('check.js', "it('range of two', f)").text;
    const { patch, testPatch, testFiles } = splitTestPatch(diff, { testNames: ['range of two'], commands: [] });
    assert.deepEqual(
      testFiles.map((t) => t.path),
      ['test.js', 'check.js'],
    );
    assert.match(patch, /^diff --git a\/src\/range\.js/);
    assert.doesNotMatch(patch, /test\.js|check\.js/);
    assert.equal(testPatch, section('test.js', "test('range of one', f)").text + section('check.js', "it('range of two', f)").text);
  });
});
