import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recentGitFailures } from '../../src/core/git/gateway';
import { IgnoreChecker } from '../../src/core/git/ignoreChecker';
import { useTempDir } from '../helpers/tmp';

describe('what git ignores, cached', () => {
  const tmp = useTempDir();

  it('answers from git in batches, and again after .gitignore changes', async () => {
    execFileSync('git', ['init', '-q'], { cwd: tmp() });
    await writeFile(join(tmp(), '.gitignore'), 'build/\n*.log\n');
    const checker = new IgnoreChecker(tmp());
    assert.equal(checker.peek('src/a.ts'), undefined, 'unknown until asked');
    const answers = await Promise.all(['src/a.ts', 'build/out.js', 'debug.log'].map((p) => checker.isIgnored(p)));
    assert.deepEqual(answers, [false, true, true]);
    assert.equal(checker.peek('build/out.js'), true);
    await writeFile(join(tmp(), '.gitignore'), 'src/\n');
    assert.equal(checker.peek('src/a.ts'), false, 'old answers stand until git is asked again');
    await checker.refresh();
    assert.deepEqual(
      ['src/a.ts', 'build/out.js', 'debug.log'].map((p) => checker.peek(p)),
      [true, false, false],
    );
  });

  it('when git cannot say, records less (treated as ignored, not cached) and reports what was asked', async () => {
    const notARepo = join(tmp(), 'plain');
    await mkdir(notARepo);
    const checker = new IgnoreChecker(notARepo); // not inside a repository: git check-ignore fails
    assert.equal(await checker.isIgnored('src/a.ts'), true);
    assert.equal(checker.peek('src/a.ts'), undefined, 'asked again next time');
    const failure = [...recentGitFailures()].reverse().find((f) => f.root === notARepo);
    assert.ok(failure, 'the failure is reported');
    assert.equal(failure.args[0], 'check-ignore');
  });
});
