// Real git repositories for the git layer's tests: commands run with a fixed identity and no
// user or system configuration, so results do not depend on the machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { dirname, join } from 'node:path';

export const AUTHOR = { name: 'Ada Lovelace', email: 'Ada@Example.com' };

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: AUTHOR.name,
  GIT_AUTHOR_EMAIL: AUTHOR.email,
  GIT_COMMITTER_NAME: AUTHOR.name,
  GIT_COMMITTER_EMAIL: AUTHOR.email,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: devNull,
  GIT_EDITOR: 'true',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git in `cwd`; throws on failure unless `allowFailure`. */
export function git(cwd: string, args: string[], extraEnv: Record<string, string> = {}, allowFailure = false): string {
  try {
    return execFileSync('git', ['-c', 'protocol.file.allow=always', ...args], {
      cwd,
      env: { ...ENV, ...extraEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    if (allowFailure) return '';
    throw err;
  }
}

export function initRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

export function write(root: string, relPath: string, content: string | Buffer): void {
  const file = join(root, relPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export function commitAll(root: string, message: string, extraEnv: Record<string, string> = {}): string {
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', message], extraEnv);
  return git(root, ['rev-parse', 'HEAD']).trim();
}
