// Shared helpers for running code-server: used by the host test runner and by `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { codeServerDir, codeServerEntry } from './install.mjs';

const codeServerPkg = join(codeServerDir, 'node_modules/code-server');

/** Versions of code-server and of the VS Code it bundles, read from its own manifests. */
export function hostVersions() {
  const read = (p) => JSON.parse(readFileSync(join(codeServerPkg, p), 'utf8'));
  const product = read('lib/vscode/product.json');
  return { codeServer: read('package.json').version, vscode: read('lib/vscode/package.json').version, commit: product.commit };
}

/** Settings that keep a fresh workbench from opening pages, prompts or network requests of its own. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // The extension cannot see the line above in a remote window (code-server is one): its own switch.
  'codetrail.openWalkthrough': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'always',
  'git.autofetch': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  // Workspace trust stays on unless --disable-workspace-trust; never block startup on the modal.
  'security.workspace.trust.startupPrompt': 'never',
};

/** Writes `<userDataDir>/User/settings.json`. */
export function writeUserSettings(userDataDir, settings) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}

/** Whether `host:port` can be bound right now. */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

// Variables that would make code-server bind elsewhere, read another config, ask for a password,
// or hand the folder to an already running instance (VSCODE_IPC_HOOK_CLI is set in VS Code's
// own terminals) instead of starting.
const HOSTILE_ENV = [
  'PORT',
  'CODE_SERVER_HOST',
  'CODE_SERVER_CONFIG',
  'CODE_SERVER_SESSION_SOCKET',
  'VSCODE_IPC_HOOK_CLI',
  'VSCODE_PROXY_URI',
  'PASSWORD',
  'HASHED_PASSWORD',
  'ELECTRON_RUN_AS_NODE',
];

function serverEnv(env) {
  const childEnv = { ...process.env };
  for (const name of HOSTILE_ENV) delete childEnv[name];
  return Object.assign(childEnv, env);
}

// Everything code-server keeps lives in `dataDir`: user data, extensions, its config file, its log.
function dataArgs(dataDir) {
  if (!existsSync(codeServerEntry)) throw new Error(`code-server is not installed (${codeServerEntry}); run \`npm run host:install\``);
  const userDataDir = join(dataDir, 'user-data');
  const extensionsDir = join(dataDir, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  return {
    userDataDir,
    extensionsDir,
    args: [
      // An own config file, so a developer's ~/.config/code-server/config.yaml (cert, password) never applies.
      '--config',
      join(dataDir, 'config.yaml'),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
    ],
  };
}

/** Runs a code-server CLI command such as `--install-extension x.vsix` against `dataDir`, synchronously. */
export function codeServerCli(dataDir, args) {
  const r = spawnSync(process.execPath, [codeServerEntry, ...dataArgs(dataDir).args, ...args], { env: serverEnv({}), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Starts code-server on `127.0.0.1:port` and resolves once it answers HTTP. Without a `port` it
 * binds a port the kernel picks and reports (no window in which another process can take it).
 * `env` is added to this process's environment; the extension host inherits it.
 * `open` is the folder or .code-workspace the workbench opens at `/`. `userShellEnv: false` gives
 * the extension host exactly this environment: VS Code otherwise replaces it with what a login
 * shell prints (PATH included), which costs a shell start per host and differs between machines.
 * `cwd` is the server's working directory, which the extension host inherits.
 */
export async function startCodeServer({ port = 0, dataDir, disableWorkspaceTrust = false, env = {}, open, userShellEnv = true, timeoutMs = 60_000, cwd }) {
  const { userDataDir, extensionsDir, args: dirArgs } = dataArgs(dataDir);
  const logFile = join(dataDir, 'server.log');
  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
    ...dirArgs,
    ...(open ? [open] : []),
  ];
  // code-server has no --force-disable-user-env; VS Code skips the login shell when it was started from its CLI.
  const childEnv = serverEnv(userShellEnv ? env : { ...env, VSCODE_CLI: '1' });
  const log = createWriteStream(logFile);
  // Own process group: stopping it also stops the extension host, terminals and watchers it spawned.
  const child = spawn(process.execPath, args, { env: childEnv, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const server = { child, url: '', port, userDataDir, extensionsDir, logFile, exited, stop: () => stopProcessGroup(child, exited, log) };
  try {
    server.url = await listeningUrl(child, { timeoutMs, exited });
    server.port = Number(new URL(server.url).port);
    await waitForHttp(server.url, { timeoutMs, exited });
  } catch (err) {
    await server.stop();
    throw new Error(`${err.message}\n--- ${logFile} ---\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
  }
  return server;
}

/** The address code-server says it listens on ("HTTP server listening on http://127.0.0.1:PORT/"). */
function listeningUrl(child, { timeoutMs, exited }) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not say where it listens within ${timeoutMs / 1000}s`)), timeoutMs);
    const onData = (chunk) => {
      seen = (seen + chunk).slice(-4096);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${e.code}, signal ${e.signal}) before listening`));
    });
  });
}

/** Polls `url` until it answers at all; fails early when `exited` settles first. */
export async function waitForHttp(url, { timeoutMs = 60_000, exited } = {}) {
  const deadline = Date.now() + timeoutMs;
  let gone = null;
  exited?.then((e) => (gone = e));
  for (;;) {
    if (gone) throw new Error(`code-server exited (code ${gone.code}, signal ${gone.signal}) before answering ${url}`);
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopProcessGroup(child, exited, log) {
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  // Children of the group (extension host, pty hosts) may outlive code-server's main process.
  kill('SIGKILL');
  await new Promise((r) => log.end(r));
}

/**
 * Calls `onGone` once this process's parent has exited. `npm run x` passes SIGTERM on to its
 * `sh -c`, which exits without passing it on to us; without this, code-server would keep running.
 * There is no event for it, so this polls once a second without keeping Node alive.
 */
export function whenOrphaned(onGone) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}
