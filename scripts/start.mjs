// `npm start`: try Codetrail in a real VS Code in the browser, offline. Builds and packages the
// extension, installs the .vsix into a persistent code-server profile and serves a demo repository.
// Usage: npm start [-- --port 8081] [-- --reset-demo]   (PORT=8081 npm start works too)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheDir, ensureHost } from './host/install.mjs';
import { codeServerCli, hostVersions, isPortFree, startCodeServer, whenOrphaned, writeUserSettings } from './host/server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dataDir = join(cacheDir, 'start');
const vsix = join(cacheDir, 'codetrail.vsix');
const demoTemplate = join(root, 'demo');
const demoRepo = join(cacheDir, 'demo-repo');

const say = (msg) => process.stdout.write(`[start] ${msg}\n`);
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

function options() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'reset-demo': { type: 'boolean' } } });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a port: ${values.port ?? process.env.PORT}`);
  return { port, resetDemo: Boolean(values['reset-demo']) };
}

// Reused across runs so that the demo's history and what Codetrail recorded survive a restart.
function ensureDemoRepo(reset) {
  if (reset) rmSync(demoRepo, { recursive: true, force: true });
  if (existsSync(join(demoRepo, '.git'))) return false;
  rmSync(demoRepo, { recursive: true, force: true });
  cpSync(demoTemplate, demoRepo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: demoRepo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Codetrail Demo');
  git('config', 'user.email', 'demo@codetrail.invalid');
  git('add', '-A');
  // A global commit.gpgsign or hooks setup must not stop the demo from being created.
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'Demo task: fix the off-by-one in src/range.js');
  return true;
}

async function main() {
  const { port, resetDemo } = options();
  if (!(await isPortFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is busy. Pick another: PORT=${port + 1} npm start (or npm start -- --port ${port + 1})`);
  }
  ensureHost();
  const v = hostVersions();

  say('building the extension');
  run('npm', ['run', 'build']);
  say(`packaging ${vsix.slice(root.length + 1)}`);
  run('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix]);
  say('installing it into code-server');
  // --force: the version rarely changes between builds, and a plain install skips same-version.
  codeServerCli(dataDir, ['--force', '--install-extension', vsix]);

  // Written once, so that what someone changes in the settings UI persists. The trust prompt stays
  // as any user would meet it; the demo's README opens as the task description.
  const settingsFile = join(dataDir, 'user-data', 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    writeUserSettings(join(dataDir, 'user-data'), {
      'workbench.startupEditor': 'readme',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
    });
  }
  say(`${ensureDemoRepo(resetDemo) ? 'created' : 'reusing'} the demo repository ${demoRepo}`);

  const server = await startCodeServer({ port, dataDir, open: demoRepo });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  whenOrphaned(() => stop('parent process exited'));

  say(`VS Code ${v.vscode} (code-server ${v.codeServer}) is serving the demo repository with Codetrail installed:`);
  process.stdout.write(`\n    ${server.url}\n\n`);
  say(`code-server log: ${server.logFile}`);
  say('press Ctrl-C to stop');

  const { code, signal } = await server.exited;
  if (!stopping) throw new Error(`code-server stopped on its own (code ${code}, signal ${signal}); see ${server.logFile}`);
}

main().catch((err) => {
  process.stderr.write(`[start] ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
