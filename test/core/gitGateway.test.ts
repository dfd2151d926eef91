import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gitAt, onGitFailure, recentGitFailures, type GitFailure } from '../../src/core/git/gateway';
import { useTempDir } from '../helpers/tmp';

describe('git gateway', () => {
  const tmp = useTempDir();
  afterEach(() => onGitFailure(undefined));

  it('is one per repository root', async () => {
    await mkdir(join(tmp(), 'other'));
    assert.equal(gitAt(tmp()), gitAt(tmp()));
    assert.notEqual(gitAt(tmp()), gitAt(join(tmp(), 'other')));
  });

  it('reports a failure it carries on from with what was asked, and returns the fallback', async () => {
    const told: GitFailure[] = [];
    onGitFailure((f) => told.push(f));
    // Not a repository: git fails.
    const answer = await gitAt(tmp()).rawOr(['rev-parse', '--show-toplevel'], 'fallback', { expected: true });
    assert.equal(answer, 'fallback');
    assert.equal(told.length, 1);
    assert.deepEqual([told[0]!.root, told[0]!.args, told[0]!.expected], [tmp(), ['rev-parse', '--show-toplevel'], true]);
    assert.match(told[0]!.message, /not a git repository/i);
    assert.equal(recentGitFailures().at(-1), told[0]);
  });
});
