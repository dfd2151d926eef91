// Runs the extension's integration tests inside a real VS Code: code-server's bundled VS Code
// server with its Node extension host, driven by headless Chromium through playwright-core.
// Desktop VS Code and the web build cannot be downloaded offline; this path needs only npm and
// Debian packages. Usage: node scripts/host/run-tests.mjs [scenarioNameSubstring]
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { startDriver } from './driver.mjs';
import { chromiumPath, ensureHost } from './install.mjs';
import { QUIET_SETTINGS, hostVersions, startCodeServer, whenOrphaned, writeUserSettings } from './server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const extensionEntry = join(root, 'dist/extension.js');
const testsEntry = join(root, 'out/test/host/index.js');
const scenariosFile = join(root, 'test/host/scenarios.mjs');
const artifactsRoot = join(root, 'test-artifacts/host');
const SCENARIO_TIMEOUT_MS = Number(process.env.CODETRAIL_HOST_TIMEOUT_MS) || 10 * 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

const say = (msg) => process.stdout.write(`[host] ${msg}\n`);

// A signal ends the current scenario through its normal cleanup path, then the run.
let interrupted = null;
let interrupt;
const interruption = new Promise((resolve) => {
  interrupt = resolve;
});
function onInterrupt(why) {
  if (interrupted) process.exit(130);
  interrupted = why;
  say(`${why}: stopping code-server and Chromium`);
  interrupt({ code: null, reason: `interrupted (${why})` });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onInterrupt(signal));
whenOrphaned(() => onInterrupt('parent process exited'));

/** `vscode-remote://` URI for a path on the server: what the web workbench resolves payload paths with. */
function remoteUri(authority, absPath) {
  return `vscode-remote://${authority}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

function workbenchUrl(server, workspace) {
  const authority = `127.0.0.1:${server.port}`;
  const isWorkspaceFile = workspace.endsWith('.code-workspace') && statSync(workspace).isFile();
  const params = new URLSearchParams();
  params.set(isWorkspaceFile ? 'workspace' : 'folder', workspace);
  params.set(
    'payload',
    JSON.stringify([
      ['extensionDevelopmentPath', remoteUri(authority, root)],
      ['extensionTestsPath', remoteUri(authority, testsEntry)],
    ]),
  );
  return `${server.url}?${params}`;
}

const VERBOSE = Boolean(process.env.CODETRAIL_HOST_VERBOSE);
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * A line can reach us twice: through the automation log and as a plain console call (the
 * workbench also console.errors a failed test run). Print the n-th occurrence of a text once,
 * whichever channel delivers it first, so that repeats which really happened still show.
 */
function createPrinter(transcript) {
  const printed = new Map();
  const seen = { log: new Map(), console: new Map() };
  return (channel, text) => {
    text = text.replace(/\s+$/, '');
    if (!text || (!VERBOSE && isNoise(text))) return;
    const n = (seen[channel].get(text) ?? 0) + 1;
    seen[channel].set(text, n);
    if (n <= (printed.get(text) ?? 0)) return;
    printed.set(text, n);
    transcript.push(text.replace(ANSI, ''));
    const shown = process.stdout.isTTY ? text : text.replace(ANSI, '');
    process.stdout.write(`  ${shown.replace(/\n/g, '\n  ')}\n`);
  };
}

// Workbench chatter that says nothing about the tests (set CODETRAIL_HOST_VERBOSE=1 to see it).
const NOISE = [
  /^Resolv(?:ing|ed) connection token\b/,
  /^Creating a socket \(/,
  /^\[Service Worker\] registered$/,
  /^ChatSessionStore: /,
  /^Overwriting extension <</,
  /^Updating additional builtin extensions cache$/,
  /^Ignoring fetching additional builtin extensions from gallery as it is disabled\.$/,
  /^The web worker extension host is started in a same-origin iframe!$/,
  /^An iframe which has both allow-scripts and allow-same-origin/,
  /^Failed to load resource: /,
];
const isNoise = (text) => NOISE.some((re) => re.test(text));

// Every log line is also mirrored, styled and unformatted, to the browser console:
// "%c INFO color: #33f <format> <args>". The automation log has it with its arguments.
const MIRROR = /^%c\s*\w+\s+color:\s*\S+\s?/;

async function runScenario(scenario, tmpRoot, index) {
  const slug = scenario.name.replace(/[^\w.-]+/g, '_');
  const artifacts = join(artifactsRoot, slug);
  rmSync(artifacts, { recursive: true, force: true });
  const dataDir = join(tmpRoot, '.host', `${index}-${slug}`);
  const trust = scenario.trust !== false;
  writeUserSettings(join(dataDir, 'user-data'), { ...QUIET_SETTINGS, ...scenario.settings });

  const started = Date.now();
  const transcript = [];
  const print = createPrinter(transcript);
  let server;
  let browser;
  let page;
  let exit;
  let driver;
  try {
    driver = await startDriver(artifacts);
    // EXTENSIONS_GALLERY={} switches the marketplace off: no lookups that fail offline.
    const env = { EXTENSIONS_GALLERY: '{}', CODETRAIL_DRIVER_URL: driver.url, ...scenario.env };
    server = await startCodeServer({ dataDir, disableWorkspaceTrust: trust, env, userShellEnv: false });
    const serverUp = Date.now();
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    driver.attach(page);
    const finished = new Promise((resolve) => {
      exit = resolve;
    });
    // The workbench calls these when it finds them on `window`: its log, and the tests' exit code.
    // Extension host console output arrives here with its arguments unformatted (mocha logs
    // `console.log('%d passing (%s)', 3, '12ms')`).
    await page.exposeFunction('codeAutomationLog', (type, args) => print('log', format(...(Array.isArray(args) ? args : [args]))));
    await page.exposeFunction('codeAutomationExit', (code, logs) => exit({ code, logs }));
    page.on('console', (msg) => {
      if (!MIRROR.test(msg.text())) print('console', msg.text());
    });
    page.on('pageerror', (err) => print('console', `page error: ${err.message}`));
    page.on('crash', () => exit({ code: null, reason: 'the page crashed' }));
    browser.on('disconnected', () => exit({ code: null, reason: 'Chromium disconnected' }));
    server.exited.then((e) => exit({ code: null, reason: `code-server exited (code ${e.code}, signal ${e.signal})` }));

    await page.goto(workbenchUrl(server, scenario.workspace), { waitUntil: 'domcontentloaded' });
    let timer;
    const result = await Promise.race([
      finished,
      interruption,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve({ code: null, reason: `no result within ${SCENARIO_TIMEOUT_MS / 1000}s` }), SCENARIO_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    const ok = result.code === 0;
    if (!ok && !interrupted) await saveArtifacts({ artifacts, page, server, dataDir, transcript, logs: result.logs });
    return {
      ok,
      detail: result.reason ?? `exit code ${result.code}`,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
      serverSeconds: ((serverUp - started) / 1000).toFixed(1), // of `seconds`, until code-server answered
      artifacts: ok ? undefined : artifacts,
    };
  } catch (err) {
    if (!interrupted) await saveArtifacts({ artifacts, page, server, dataDir, transcript });
    return { ok: false, detail: err.message, seconds: ((Date.now() - started) / 1000).toFixed(1), artifacts };
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await driver?.close();
  }
}

async function saveArtifacts({ artifacts, page, server, dataDir, transcript, logs }) {
  mkdirSync(artifacts, { recursive: true });
  await page?.screenshot({ path: join(artifacts, 'screenshot.png'), timeout: 10_000 }).catch(() => {});
  writeFileSync(join(artifacts, 'output.log'), transcript.join('\n') + '\n');
  const serverLog = server?.logFile ?? join(dataDir, 'server.log');
  if (existsSync(serverLog)) cpSync(serverLog, join(artifacts, 'server.log'));
  // VS Code's own logs: the server side (remote agent, extension host) and, when the workbench
  // reported back, its browser side.
  const serverLogs = join(dataDir, 'user-data', 'logs');
  if (existsSync(serverLogs)) cpSync(serverLogs, join(artifacts, 'vscode-server-logs'), { recursive: true });
  for (const { relativePath, contents } of logs ?? []) {
    const file = join(artifacts, 'workbench-logs', relativePath);
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, contents);
  }
}

async function main() {
  const filter = process.argv[2];
  ensureHost();
  const v = hostVersions();
  say(`VS Code ${v.vscode} (${v.commit.slice(0, 10)}) via code-server ${v.codeServer}, Chromium ${chromiumPath()}`);
  const missing = [extensionEntry, testsEntry].filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(
      `missing ${missing.map((f) => f.slice(root.length + 1)).join(', ')}: run \`npm run build && npm run compile-tests\` first (\`npm test\` does both)`,
    );
  }
  if (!existsSync(scenariosFile)) throw new Error(`missing ${scenariosFile}`);
  const { scenarios } = await import(pathToFileURL(scenariosFile).href);
  const tmpRoot = mkdtempSync(join(tmpdir(), 'codetrail-host-'));
  const results = [];
  try {
    const all = await scenarios(tmpRoot);
    const chosen = filter ? all.filter((s) => s.name.includes(filter)) : all;
    if (chosen.length === 0) throw new Error(`no scenario matches "${filter}" (have: ${all.map((s) => s.name).join(', ')})`);
    for (const [i, scenario] of chosen.entries()) {
      if (interrupted) break;
      say(`scenario ${scenario.name} (${scenario.trust === false ? 'untrusted' : 'trusted'}): ${scenario.workspace}`);
      const r = await runScenario(scenario, tmpRoot, i);
      if (interrupted) break;
      results.push({ name: scenario.name, ...r });
      say(
        `scenario ${scenario.name}: ${r.ok ? 'passed' : 'FAILED'} (${r.detail}, ${r.seconds}s${r.serverSeconds ? `, server up after ${r.serverSeconds}s` : ''})${r.artifacts ? `; artifacts in ${r.artifacts}` : ''}`,
      );
    }
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
  if (interrupted) return 130;
  say('summary:');
  for (const r of results) say(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  ${r.seconds}s${r.ok ? '' : `  ${r.detail}`}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[host] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
