// Resilience tests in the real host, driven from outside because they do what a suite inside the
// extension host cannot: kill that host (crash), open two workbench windows (two windows), mount
// a tiny disk and read the status bar (full disk). Each prints the same result line as
// run-tests.mjs, which scripts/test.mjs adds up. Usage: node scripts/host/resilience.mjs [name]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumPath, ensureHost } from './install.mjs';
import { QUIET_SETTINGS, startCodeServer, whenOrphaned, writeUserSettings } from './server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const cli = join(root, 'dist/cli.js');
const testsEntry = join(root, 'out/test/host/index.js');
const FLUSH_INTERVAL_MS = 1000;
/** The time a flush's own write may take once its timer fired. */
const WRITE_MARGIN_MS = 250;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'];
const OPT_IN = '{"version": 1, "enabled": true}\n';

const say = (msg) => process.stdout.write(`[resilience] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; there is no event for what these wait on. */
async function until(what, check, timeoutMs, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(everyMs);
  }
}

function makeRepo(dir, files) {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Host Test', '-c', 'user.email=host-test@example.invalid', 'add', '-A');
  git('-c', 'user.name=Host Test', '-c', 'user.email=host-test@example.invalid', 'commit', '-q', '-m', 'initial');
  return dir;
}

function workspaceFile(dir, name, folder) {
  const file = join(dir, `${name}.code-workspace`);
  writeFileSync(file, JSON.stringify({ folders: [{ path: folder }] }));
  return file;
}

const remoteUri = (authority, p) => `vscode-remote://${authority}${p.split('/').map(encodeURIComponent).join('/')}`;

function workbenchUrl(server, workspace, { folder = false } = {}) {
  const authority = `127.0.0.1:${server.port}`;
  const params = new URLSearchParams(folder ? { folder: workspace } : { workspace });
  params.set(
    'payload',
    JSON.stringify([
      ['extensionDevelopmentPath', remoteUri(authority, root)],
      ['extensionTestsPath', remoteUri(authority, testsEntry)],
    ]),
  );
  return `${server.url}?${params}`;
}

/** One code-server running one host suite, and a headless Chromium to open windows on it. */
async function startHost({ dir, suite, store, fixtures, settings = {} }) {
  writeUserSettings(join(dir, 'user-data'), { ...QUIET_SETTINGS, 'window.confirmBeforeClose': 'never', ...settings });
  const env = { EXTENSIONS_GALLERY: '{}', CODETRAIL_HOST_SUITE: suite, CODETRAIL_STORE: store, CODETRAIL_FIXTURES: JSON.stringify({ ...fixtures, store }) };
  const server = await startCodeServer({ dataDir: dir, disableWorkspaceTrust: true, env, userShellEnv: false });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const transcript = [];
  const host = {
    server,
    transcript,
    /** Opens a window; `exits` collects every exit code its test runs report. */
    async open(workspace, label, how = {}) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const exits = [];
      const print = (text) => {
        const line = `${label}: ${text}`;
        transcript.push(line);
        if (process.env.CODETRAIL_HOST_VERBOSE || /passing|failing|pending|Error|✔|[0-9]+\) /.test(text)) process.stdout.write(`  ${line}\n`);
      };
      await page.exposeFunction('codeAutomationLog', (_type, args) => print(format(...(Array.isArray(args) ? args : [args]))));
      await page.exposeFunction('codeAutomationExit', (code) => exits.push({ code, at: Date.now() }));
      page.on('dialog', (d) => void d.accept().catch(() => {}));
      await page.goto(workbenchUrl(server, workspace, how), { waitUntil: 'domcontentloaded' });
      return { page, exits };
    },
    async stop() {
      live.delete(host);
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
  live.add(host);
  return host;
}

/** Hosts running now: a signal stops them (and their process group) before we exit. */
const live = new Set();
let stopping = false;
function onInterrupt(why) {
  if (stopping) process.exit(130);
  stopping = true;
  say(`${why}: stopping code-server and Chromium`);
  void Promise.all([...live].map((h) => h.stop())).finally(() => process.exit(130));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onInterrupt(signal));

function runCli(...args) {
  return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Every record of the store and every problem the reader reported, through the compiled reader. */
async function readAll(store) {
  const { readStore } = await import(pathToFileURL(join(root, 'out/src/core/store/storeReader.js')).href);
  const records = [];
  const issues = [];
  for await (const r of readStore(store, (i) => issues.push(i))) records.push(r.record);
  records.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { records, issues };
}

/** A file's content as the store tells it (test/host/replayFile.ts). */
const replayFile = async (...args) => (await import(pathToFileURL(join(root, 'out/test/host/replayFile.js')).href)).replayFile(...args);

// ---------------------------------------------------------------------------------------------

/** The text the crash workload (test/host/crash) types, as far as its n-th keystroke. */
function crashText(n) {
  let out = '';
  for (let word = 0; out.length < n; word++) out += `w${word}${word % 8 === 7 ? '\n' : ' '}`;
  return out.slice(0, n);
}

/** The longest pause between two journaled keystrokes typed between `from` and `to`. */
function hostStall(keys, from, to) {
  let longest = 0;
  for (let i = 1; i < keys.length; i++) if (keys[i].at >= from && keys[i - 1].at <= to) longest = Math.max(longest, keys[i].at - keys[i - 1].at);
  return longest;
}

function readJournal(file) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { head: lines[0], keys: lines.filter((l) => l.n !== undefined && !l.done), done: lines.find((l) => l.done) };
}

const isExtensionHost = (pid) => {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return /--type=extensionHost|bootstrap-fork/.test(cmd);
  } catch {
    return false;
  }
};

async function crash(tmp) {
  const repo = makeRepo(join(tmp, 'app'), { '.codetrail.json': OPT_IN, 'README.md': 'crash test\n' });
  const control = join(tmp, 'control');
  const store = join(tmp, 'store');
  mkdirSync(control);
  const host = await startHost({
    dir: join(tmp, 'host'),
    suite: 'crash',
    store,
    fixtures: { repo, control },
    settings: { 'codetrail.flushIntervalMs': FLUSH_INTERVAL_MS },
  });
  const checks = [];
  try {
    const win = await host.open(workspaceFile(tmp, 'crash', repo), 'crash');
    const seen = new Set();
    const newJournal = () =>
      until('a new extension host to start typing', () => readdirSync(control).find((f) => f.startsWith('journal-') && !seen.has(f)), 90_000, 200);
    const kills = [];
    const ROUNDS = 3;
    for (let round = 0; round <= ROUNDS; round++) {
      const name = await newJournal();
      seen.add(name);
      const file = join(control, name);
      const { head } = await until('the first keystroke', () => (existsSync(file) && readJournal(file).keys.length > 0 ? readJournal(file) : null), 60_000);
      // Kill somewhere between 2.5 and 4.5 s into the typing: several flushes have happened.
      const typeFor = 2500 + Math.floor(Math.random() * 2000);
      await until('typing to go on', () => Date.now() - readJournal(file).keys[0].at >= typeFor, 60_000, 50);
      if (round === ROUNDS) {
        writeFileSync(join(control, 'stop'), '');
        await until('the last round to finish', () => readJournal(file).done, 60_000);
        await until('the last test run to report', () => win.exits.find((e) => e.at > (kills.at(-1)?.at ?? 0)), 60_000);
        kills.push({ pid: head.pid, file: head.file, journal: file, at: null, code: win.exits.at(-1).code });
        break;
      }
      if (!isExtensionHost(head.pid)) throw new Error(`pid ${head.pid} that journals the typing is not an extension host`);
      const at = Date.now();
      process.kill(head.pid, 'SIGKILL');
      kills.push({ pid: head.pid, file: head.file, journal: file, at });
      await until(`pid ${head.pid} to be gone`, () => !existsSync(`/proc/${head.pid}/cmdline`) || !isExtensionHost(head.pid), 10_000, 50);
      // code-server 4.100.3's workbench does not start a new extension host for a test run (it
      // reports the crash as the run's exit); reloading the window starts one. Whatever journals
      // exist now belong to hosts the reload ends.
      for (const f of readdirSync(control)) if (f.startsWith('journal-')) seen.add(f);
      await win.page.reload({ waitUntil: 'domcontentloaded' });
      say(`round ${round + 1}: killed extension host ${head.pid} after ${readJournal(file).keys.length} keystrokes; reloaded the window`);
    }
    const last = kills.at(-1);
    checks.push(['the last round, not killed, ends its test run with exit code 0', last.code === 0, `exit code ${last.code}`]);

    const stats = JSON.parse(runCli('stats', '--store', store, '--json'));
    const bad = stats.issues.filter((i) => i.kind !== 'torn-tail');
    checks.push([
      'every segment reads back: the only damage is a torn last line',
      bad.length === 0,
      `${stats.eventCount} events, issues: ${JSON.stringify(stats.issues)}`,
    ]);
    const { records, issues } = await readAll(store);
    const torn = new Map();
    for (const i of issues.filter((x) => x.kind === 'torn-tail')) torn.set(i.file, (torn.get(i.file) ?? 0) + 1);
    checks.push(['at most one torn tail per segment', [...torn.values()].every((n) => n === 1), JSON.stringify([...torn])]);
    for (const k of kills) {
      const { keys, done } = readJournal(k.journal);
      const typed = done ? done.n : keys.at(-1).n;
      const stored = await replayFile(records, k.file);
      const kept = stored.length;
      const exact = stored === crashText(kept);
      if (k.at === null) {
        checks.push([`last round (host ${k.pid}): everything typed is in the store`, exact && kept === typed, `typed ${typed}, stored ${kept}`]);
        continue;
      }
      const firstLost = keys.find((e) => e.n === kept + 1);
      const lostMs = firstLost ? k.at - firstLost.at : 0;
      // A flush timer runs late by as long as the extension host was busy; so does the typing loop
      // on the same thread, so the longest pause between two keys near the kill measures it.
      const stallMs = hostStall(keys, k.at - 3 * FLUSH_INTERVAL_MS, k.at);
      const ok = exact && kept <= typed && lostMs <= FLUSH_INTERVAL_MS + stallMs + WRITE_MARGIN_MS;
      if (!exact) {
        const want = crashText(kept);
        let at = 0;
        while (at < kept && stored[at] === want[at]) at++;
        say(
          `  host ${k.pid}: the store differs from what was typed at ${at}: ${JSON.stringify(stored.slice(Math.max(0, at - 20), at + 20))} where ${JSON.stringify(want.slice(Math.max(0, at - 20), at + 20))} was typed`,
        );
        for (const r of records.filter((x) => x.data.file === k.file).slice(0, 6))
          say(`    ${r.kind} ${r.session.slice(-6)} ${JSON.stringify({ ...r.data, file: undefined, blob: undefined })}`);
      }
      checks.push([
        `killed host ${k.pid}: the store holds exactly what was typed, less at most the last flush interval`,
        ok,
        `typed ${typed} keys, stored ${kept} (a prefix: ${exact}); lost the last ${typed - kept} keys, typed in the ${lostMs} ms before the kill (flush interval ${FLUSH_INTERVAL_MS} ms, longest pause of the host then ${stallMs} ms)`,
      ]);
    }
  } finally {
    await host.stop();
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------

async function twoWindows(tmp) {
  const { textFor } = await import(pathToFileURL(join(root, 'out/test/host/windows/text.js')).href);
  const repo = makeRepo(join(tmp, 'app'), { '.codetrail.json': OPT_IN, 'win-a.txt': '', 'win-b.txt': '' });
  const control = join(tmp, 'control');
  const store = join(tmp, 'store');
  mkdirSync(control);
  // Two real VS Code windows are two extension hosts with their own state: here, two code-servers
  // with their own user-data folders, open on one repository and writing one store. (Two pages of
  // one code-server share its workspace state, and opened together one page sometimes never got
  // its folders.)
  const names = ['win-a', 'win-b'];
  const hosts = await Promise.all(
    names.map((name) => startHost({ dir: join(tmp, `host-${name}`), suite: 'windows', store, fixtures: { repo, control, window: name } })),
  );
  const checks = [];
  try {
    const [a, b] = await Promise.all(hosts.map((host, i) => host.open(repo, names[i], { folder: true })));
    await until('both windows to finish their test run', () => a.exits.length > 0 && b.exits.length > 0, 300_000, 250);
    checks.push([
      'both windows record their task (their suites pass)',
      a.exits[0].code === 0 && b.exits[0].code === 0,
      `exit codes ${a.exits[0].code}, ${b.exits[0].code}`,
    ]);
    const tasks = { 'win-a': readFileSync(join(control, 'done-win-a'), 'utf8'), 'win-b': readFileSync(join(control, 'done-win-b'), 'utf8') };

    const { records, issues } = await readAll(store);
    checks.push(['every line of every segment is a valid record', issues.length === 0, JSON.stringify(issues)]);
    const sessions = { 'win-a': new Set(), 'win-b': new Set() };
    for (const r of records) for (const w of Object.keys(tasks)) if (r.task === tasks[w]) sessions[w].add(r.session);
    const shared = [...sessions['win-a']].filter((s) => sessions['win-b'].has(s));
    checks.push([
      'each window has its own sessions',
      sessions['win-a'].size > 0 && sessions['win-b'].size > 0 && shared.length === 0,
      JSON.stringify({ a: [...sessions['win-a']], b: [...sessions['win-b']] }),
    ]);
    // No segment file holds records of both windows.
    const { listSegments } = await import(pathToFileURL(join(root, 'out/src/core/store/storeReader.js')).href);
    const { readSegmentRecords } = await import(pathToFileURL(join(root, 'out/src/core/store/segmentReader.js')).href);
    let mixed = 0;
    for (const seg of await listSegments(store)) {
      const owners = new Set();
      for await (const { record } of readSegmentRecords(seg.path, () => {}))
        for (const w of Object.keys(tasks)) if (sessions[w].has(record.session)) owners.add(w);
      if (owners.size > 1) mixed += 1;
    }
    checks.push(['no segment file holds records of both windows', mixed === 0, `${mixed} mixed segment(s)`]);
    for (const w of Object.keys(tasks)) {
      const mine = records.filter((r) => r.task === tasks[w]);
      const typed = await replayFile(mine, `${w}.txt`);
      const onDisk = readFileSync(join(repo, `${w}.txt`), 'utf8');
      checks.push([
        `${w}: its typed text is in the store, whole`,
        typed === textFor(w) && onDisk === textFor(w),
        `store rebuilds ${typed.length} chars, expected ${textFor(w).length}`,
      ]);
    }
    const verify = JSON.parse(runCli('verify', '--store', store, '--json'));
    for (const w of Object.keys(tasks)) {
      const v = verify.tasks.find((t) => t.task === tasks[w]);
      checks.push([
        `${w}: codetrail verify replays its task to exactly what was saved`,
        v && v.status !== 'diverged' && v.checks.saveCount >= 1 && !v.divergence,
        JSON.stringify(v),
      ]);
    }
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------

/** Mounts a tmpfs; undefined with the reason when this machine does not allow it. */
function mountTmpfs(path, kib) {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0755`, 'tmpfs', path], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `${err.stderr?.toString().trim() || err.message}`;
  }
}

async function diskFull(tmp) {
  const disk = join(tmp, 'disk');
  const refused = process.getuid?.() !== 0 ? 'not running as root' : mountTmpfs(disk, 1024);
  if (refused) return { skipped: `cannot mount a tmpfs here (${refused}): the full-disk test did not run` };
  const repo = makeRepo(join(tmp, 'app'), { '.codetrail.json': OPT_IN, 'notes.txt': 'notes\n' });
  const control = join(tmp, 'control');
  mkdirSync(control);
  const host = await startHost({ dir: join(tmp, 'host'), suite: 'diskfull', store: join(disk, 'store'), fixtures: { repo, control, disk } });
  const checks = [];
  try {
    const win = await host.open(workspaceFile(tmp, 'diskfull', repo), 'diskfull');
    const answered = new Set();
    // Answers the suite's questions about the workbench until its test run ends.
    await until(
      'the full-disk suite to finish',
      async () => {
        for (const f of readdirSync(control).filter((n) => /^ask-\d+\.json$/.test(n) && !answered.has(n))) {
          answered.add(f);
          const { where, text, present } = JSON.parse(readFileSync(join(control, f), 'utf8'));
          const selector = where === 'statusbar' ? '[id="workbench.parts.statusbar"]' : '.notifications-center';
          const shown = async () =>
            (
              await win.page
                .locator(selector)
                .allInnerTexts()
                .catch(() => [])
            )
              .join(' | ')
              .replace(/\s+/g, ' ');
          const ok = await until(
            `the ${where} to ${present ? 'show' : 'stop showing'} "${text}"`,
            async () => (await shown()).includes(text) === present,
            20_000,
            200,
          ).then(
            () => true,
            () => false,
          );
          const answer = join(control, f.replace('ask-', 'answer-'));
          writeFileSync(`${answer}.tmp`, JSON.stringify({ ok, shown: await shown() }));
          renameSync(`${answer}.tmp`, answer);
        }
        return win.exits.length > 0;
      },
      240_000,
      100,
    );
    checks.push([
      'recording pauses with a visible warning on a full disk, keeps what it wrote, and resumes when there is room',
      win.exits[0].code === 0,
      `exit code ${win.exits[0].code}`,
    ]);
  } finally {
    await host.stop();
    execFileSync('umount', ['-l', disk]);
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------

const SCENARIOS = { crash, 'two-windows': twoWindows, 'disk-full': diskFull };

async function main() {
  const filter = process.argv[2];
  ensureHost();
  for (const f of [cli, testsEntry]) if (!existsSync(f)) throw new Error(`missing ${f}: run \`npm run build && npm run compile-tests\` first`);
  const chosen = Object.entries(SCENARIOS).filter(([name]) => !filter || name.includes(filter));
  let failed = 0;
  for (const [name, run] of chosen) {
    const tmp = mkdtempSync(join(tmpdir(), `codetrail-resilience-${name}-`));
    const started = Date.now();
    say(`scenario ${name}`);
    let result;
    try {
      result = await run(tmp);
    } catch (err) {
      result = [[`${name} ran to the end`, false, err instanceof Error ? err.stack : String(err)]];
    } finally {
      // A failure keeps what there is to look at: the logs of VS Code and Codetrail, the store, the journals.
      if (Array.isArray(result) && result.some(([, ok]) => !ok)) {
        const artifacts = join(root, 'test-artifacts', 'resilience', name);
        rmSync(artifacts, { recursive: true, force: true });
        cpSync(tmp, artifacts, { recursive: true, filter: (src) => !/[\\/](extensions|CachedExtensionVSIXs|node_modules)$/.test(src) });
        say(`artifacts in ${artifacts}`);
      }
      rmSync(tmp, { recursive: true, force: true });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!Array.isArray(result)) {
      say(`SKIPPED ${name}: ${result.skipped}`);
      process.stdout.write(`[codetrail-host-result] resilience-${name}: 0 passed, 0 failed, 1 skipped\n`);
      continue;
    }
    for (const [what, ok, detail] of result) say(`  ${ok ? 'PASS' : 'FAIL'}  ${what}${detail ? `  (${detail})` : ''}`);
    const bad = result.filter(([, ok]) => !ok).length;
    failed += bad;
    say(`scenario ${name}: ${bad ? 'FAILED' : 'passed'} in ${seconds}s`);
    process.stdout.write(`[codetrail-host-result] resilience-${name}: ${result.length - bad} passed, ${bad} failed, 0 skipped\n`);
  }
  return failed ? 1 : 0;
}

whenOrphaned(() => onInterrupt('parent process exited'));
main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[resilience] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
