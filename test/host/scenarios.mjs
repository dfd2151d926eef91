// The workspaces the host tests run in. Each scenario is one code-server + Chromium run; the
// runner (scripts/host/run-tests.mjs) starts them one after another.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function git(cwd, ...args) {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

/** A real git repository with the given files, committed. */
export function makeRepo(dir, files, { untracked = {} } = {}) {
  mkdirSync(dir, { recursive: true });
  const write = (name, text) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Host Test');
  git(dir, 'config', 'user.email', 'host-test@example.invalid');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  for (const [name, text] of Object.entries(untracked)) write(name, text);
  return realpathSync(dir);
}

const OPT_IN = '{"version": 1, "enabled": true}\n';

/**
 * A `git` first on the host's PATH that holds every `git check-ignore` while the file `hold`
 * exists, logging its arguments to `asked`: a test can then type while the gate still waits for
 * git, which is otherwise a race of a few milliseconds.
 */
function gitThatCanWait(dir) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const hold = join(dir, 'hold-check-ignore');
  const asked = join(dir, 'check-ignore-asked.log');
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh
case " $* " in
  *" check-ignore "*) if [ -e '${hold}' ]; then echo "$*" >> '${asked}'; while [ -e '${hold}' ]; do sleep 0.02; done; fi ;;
esac
exec '${realGit}' "$@"
`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return { bin, hold, asked };
}

/** A small project with a real test suite and a bug: range() leaves out its end. */
export const RANGE_PROJECT = {
  '.codetrail.json': '{"version": 1, "enabled": true, "purpose": "host test", "terminalOutput": true}\n',
  '.gitignore': 'node_modules/\n*.log\n',
  'package.json': '{"name": "range", "private": true, "scripts": {"test": "node --test"}}\n',
  'src/range.js':
    '// Returns the integers from start to end, both included.\nfunction range(start, end) {\n  const out = [];\n  for (let i = start; i < end; i++) out.push(i);\n  return out;\n}\n\nmodule.exports = { range };\n',
  'test/range.test.js':
    "const test = require('node:test');\nconst assert = require('node:assert');\nconst { range } = require('../src/range');\n\ntest('range includes both ends', () => {\n  assert.deepStrictEqual(range(1, 3), [1, 2, 3]);\n});\n\ntest('range of one number', () => {\n  assert.deepStrictEqual(range(2, 2), [2]);\n});\n",
};

function scenario(name, root, folders, { trust = true, suite = name } = {}) {
  const workspace = join(root, `${name}.code-workspace`);
  writeFileSync(workspace, JSON.stringify({ folders: folders.map((path) => ({ path })) }, null, 2));
  const store = join(root, 'store');
  return { workspace, store, trust, suite };
}

export async function scenarios(tmpRoot) {
  const trustedRoot = join(tmpRoot, 'trusted');
  const optin = makeRepo(
    join(trustedRoot, 'optin'),
    {
      '.codetrail.json': OPT_IN,
      '.gitignore': 'ignored/\n',
      'src/app.js': 'export function add(a, b) {\n  return a + b;\n}\n',
      'src/late.js': '// opened while git is slow\n',
      'src/reload.js': '// changed on disk\n',
      'src/background.js': '// read by an extension\n',
    },
    { untracked: { '.env': 'PLACEHOLDER=1\n', 'config/secrets.json': '{}\n', 'ignored/notes.txt': 'private notes\n', 'ignored/late.txt': 'private\n' } },
  );
  const slowGit = gitThatCanWait(join(trustedRoot, 'slow-git'));
  const plain = makeRepo(join(trustedRoot, 'plain'), { 'src/app.js': 'export const plain = true;\n' });
  const trusted = scenario('trusted', trustedRoot, [optin, plain]);

  const taskRoot = join(tmpRoot, 'task');
  const range = makeRepo(join(taskRoot, 'range'), RANGE_PROJECT);
  const task = scenario('task', taskRoot, [range]);

  // Secrets made fresh for each run: format-valid, never real.
  const privacyRoot = join(tmpRoot, 'privacy');
  const token = (prefix, n) =>
    prefix +
    randomBytes(n)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, n);
  const secrets = {
    typed: token('ghp_', 36),
    pasted: token('', 40),
    terminal: token('ghp_', 36),
    inFile: token('', 20),
  };
  const privacyRepo = makeRepo(join(privacyRoot, 'app'), {
    '.codetrail.json': '{"version": 1, "enabled": true, "terminalOutput": true}\n',
    'src/config.js': 'module.exports = {\n  port: 8080,\n};\n',
    'src/settings.py': `DEBUG = False\nDB_PASSWORD = "${secrets.inFile}"\n`,
  });
  const privacy = scenario('privacy', privacyRoot, [privacyRepo]);

  const reviewRoot = join(tmpRoot, 'review');
  const reviewRepo = makeRepo(join(reviewRoot, 'range'), RANGE_PROJECT);
  const review = scenario('review', reviewRoot, [reviewRepo]);

  const untrustedRoot = join(tmpRoot, 'untrusted');
  const shy = makeRepo(join(untrustedRoot, 'optin'), { '.codetrail.json': OPT_IN, 'src/app.js': 'export const x = 1;\n' });
  const untrusted = scenario('untrusted', untrustedRoot, [shy], { trust: false });

  // A first run as a new user meets it: the walkthrough opens by itself (VS Code's own
  // openOnInstall setting, off in the other scenarios), and no CODETRAIL_STORE: recordings go to
  // the default store in the extension's global storage, which for code-server (a remote host)
  // is on the server, under the server's user data folder.
  const nativeRoot = join(tmpRoot, 'native');
  const nativeRepo = makeRepo(join(nativeRoot, 'range'), RANGE_PROJECT);
  const teamRepo = makeRepo(join(nativeRoot, 'team'), { 'README.md': '# A repository that has not opted in yet\n' });
  const native = scenario('native', nativeRoot, [nativeRepo, teamRepo]);

  const originRoot = join(tmpRoot, 'origin');
  const originRepo = makeRepo(join(originRoot, 'app'), {
    '.codetrail.json': OPT_IN,
    'src/main.js': '// The engineer works here.\n',
    'src/agentA.js': '// An agent edits this.\n',
    'src/agentB.js': '// And this.\n',
  });
  const origin = scenario('origin', originRoot, [originRepo]);
  const originGit = gitThatCanWait(originRoot);

  const toRun = (name, s, fixtures, env = {}) => ({
    name,
    workspace: s.workspace,
    trust: s.trust,
    settings: {},
    env: { CODETRAIL_HOST_SUITE: s.suite, CODETRAIL_STORE: s.store, CODETRAIL_FIXTURES: JSON.stringify({ ...fixtures, store: s.store }), ...env },
  });
  return [
    toRun('trusted', trusted, { optin, plain, gitHold: slowGit.hold, gitAsked: slowGit.asked }, { PATH: `${slowGit.bin}:${process.env.PATH}` }),
    toRun('task', task, { repo: range }),
    toRun('privacy', privacy, { repo: privacyRepo, secrets: JSON.stringify(secrets) }),
    toRun('untrusted', untrusted, { optin: shy }),
    toRun('review', review, { repo: reviewRepo }),
    {
      ...toRun('origin', origin, { repo: originRepo, gitHold: originGit.hold, gitAsked: originGit.asked }, { PATH: `${originGit.bin}:${process.env.PATH}` }),
      // Suggestions only when the script asks for them: none pop up while it types.
      settings: {
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
        'editor.wordBasedSuggestions': 'off',
        'editor.acceptSuggestionOnEnter': 'off',
        'editor.inlineSuggest.enabled': true,
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
      },
    },
    {
      name: 'native',
      workspace: native.workspace,
      trust: true,
      settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true, 'codetrail.openWalkthrough': true },
      env: {
        CODETRAIL_HOST_SUITE: 'native',
        CODETRAIL_FIXTURES: JSON.stringify({
          repo: nativeRepo,
          team: teamRepo,
          hostData: join(tmpRoot, '.host'),
          exportDir: join(nativeRoot, 'export'),
          store: '',
        }),
      },
    },
  ];
}
