// A year of recordings, written through the real pipeline (CaptureSession → Recorder → segment
// writers, with rotation and compression) on a simulated clock: working days of a few tasks each,
// typing in bursts, cursor moves, saves, formatter rewrites from outside the editor, test runs in
// the terminal, commits and approvals, sessions split by the nights and lunch breaks between them.
// Used by bench/year.mjs; needs `npm run compile-tests` (it loads the compiled sources from out/).
import { createPatch } from 'diff';
import { compiled as out, seededRandom } from './lib.mjs';

const { CaptureSession } = out('src/core/capture/captureSession.js');
const { Recorder } = out('src/core/capture/recorder.js');
const { diskChangeEvent } = out('src/core/capture/diskChange.js');
const { gitBlobId } = out('src/core/base/hash.js');
const { newUlid } = out('src/core/base/ids.js');

export const YEAR_SIZES = {
  // ≥ 2,000 tasks and ≥ 10 million events: an engineer-year (issue 16).
  full: { tasks: 2000, eventsPerTask: 5000 },
  quick: { tasks: 12, eventsPerTask: 300 },
};

const DAY = 86_400_000;
const HOUR = 3_600_000;
const REPOS = ['r_00000000000000a1', 'r_00000000000000a2', 'r_00000000000000a3'];
const WORDS = ['const', 'value', 'return', 'if', '(x)', '{', '}', 'await', 'items', 'map', '=>', ';', 'let', 'result', 'for', 'of'];
const START = Date.UTC(2025, 0, 6, 8, 0, 0);
/** The generated text holds no secrets: a redactor that passes it through keeps this generator fast. */
const PASS_THROUGH = { text: (t) => t, patch: (file, a, b) => createPatch(file, a, b, '', '', { context: 3 }), event: (_kind, data) => data };

/**
 * Writes the store; returns what was recorded. `onProgress(tasksDone)` is called after each task.
 * Events per task are approximate (bursts and splits vary a little).
 */
export async function generateYearStore(store, { tasks = 2000, eventsPerTask = 5000, seed = 16, contributorId = 'c_00000000000000b1', onProgress } = {}) {
  const rand = seededRandom(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  let clock = START;
  const now = () => clock;
  const recorder = new Recorder({ storePath: store, sessionId: newUlid(clock), contributorId, now });
  const session = new CaptureSession(recorder, {
    flushIntervalMs: 3_600_000, // flushed explicitly below, on the simulated clock
    idleMs: 30 * 60_000,
    now,
    sessionInfo: () => ({
      policyHash: 'f'.repeat(64),
      consentAt: START,
      captureLevel: 'full',
      redactionRules: 'bench',
      extensionVersion: '0',
      vscodeVersion: '0',
    }),
    redactor: PASS_THROUGH,
  });
  const files = new Map(); // repo/file → text on disk and in the editor
  const versions = new Map();
  const cursors = new Map(); // repo/file → where the engineer types next
  let tasksPerDay = 0;
  let day = 0;
  const counts = { tasks: 0, commits: 0, testRuns: 0, externalChanges: 0, saves: 0 };
  for (let t = 0; t < tasks; t++) {
    // A working day holds about eight tasks; then the night (a new session at the next activity).
    if (tasksPerDay === 8) {
      tasksPerDay = 0;
      day += day % 7 === 4 ? 3 : 1; // weekends off
      clock = START + day * DAY;
    }
    tasksPerDay += 1;
    if (tasksPerDay === 5) clock += HOUR; // lunch: an idle gap, a new session
    const repo = REPOS[t % REPOS.length];
    const taskId = session.startTask([repo], {
      title: `task ${t}: ${pick(['fix', 'add', 'refactor', 'speed up'])} ${pick(['parser', 'cache', 'login', 'export', 'tests'])}`,
      description: 'from the tracker',
      auto: false,
      branch: 'main',
    });
    session.record(
      repo,
      'git.state',
      { reason: 'task', head: 'b'.repeat(40), branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
      'system',
    );
    const touched = new Set();
    let events = 2;
    while (events < eventsPerTask - 4) {
      const file = `src/mod${Math.floor(rand() * 12)}.ts`;
      const key = `${repo}/${file}`;
      if (!files.has(key)) files.set(key, 'export function f() {\n  return 1;\n}\n'.repeat(10));
      touched.add(file);
      // A burst of typing: one word, then a pause (one edit event), with cursor moves between.
      for (let b = 0; b < 20 && events < eventsPerTask - 4; b++) {
        clock += 400 + Math.floor(rand() * 3000);
        let text = files.get(key);
        let version = versions.get(key) ?? 1;
        if (!session.bufferKnown(key)) {
          session.record(
            repo,
            'file.snapshot',
            { file, target: 'buffer', version, text, textLength: text.length, blob: gitBlobId(text), reason: 'first-edit' },
            'system',
          );
          session.markBuffer(key, version);
          events += 1;
        }
        if (text.length > 12_000) {
          // Code is deleted as well as typed: a selected block removed keeps files at a working size.
          const from = Math.floor(rand() * (text.length - 2000));
          cursors.set(key, from);
          session.edit({
            repoId: repo,
            file,
            fromVersion: version,
            version: version + 1,
            changes: [{ offset: from, length: 2000, text: '', textLength: 0 }],
            origin: 'typing',
            ts: clock,
          });
          session.closeBursts();
          text = text.slice(0, from) + text.slice(from + 2000);
          version += 1;
          events += 1;
        }
        // Engineers type on where they were, now and then moving to another line: a commit changes a
        // few regions of a file, not every line of it (a line diff of scrambled text is Myers's worst case).
        let at = Math.min(cursors.get(key) ?? 0, text.length);
        if (rand() < 0.15) {
          at = Math.floor(rand() * text.length);
          const lineEnd = text.indexOf('\n', at);
          at = lineEnd < 0 ? text.length : lineEnd;
        }
        const word = rand() < 0.12 ? '\n  ' : pick(WORDS) + ' ';
        for (let i = 0; i < word.length; i++) {
          session.edit({
            repoId: repo,
            file,
            fromVersion: version,
            version: version + 1,
            changes: [{ offset: at + i, length: 0, text: word[i], textLength: 1 }],
            origin: 'typing',
            ts: clock + i * 90,
          });
          version += 1;
        }
        text = text.slice(0, at) + word + text.slice(at);
        cursors.set(key, at + word.length);
        files.set(key, text);
        versions.set(key, version);
        session.closeBursts();
        events += 1;
        const moves = 1 + Math.floor(rand() * 3);
        for (let m = 0; m < moves; m++) {
          session.record(
            repo,
            'selection',
            { file, kind: pick(['keyboard', 'mouse']), selections: [{ anchor: [Math.floor(rand() * 30), 2], active: [Math.floor(rand() * 30), 4] }] },
            'user',
          );
        }
        events += moves;
      }
      const text = files.get(key);
      session.record(repo, 'file.save', { file, version: versions.get(key), blob: gitBlobId(text) }, 'user');
      session.setDisk(repo, file, text);
      counts.saves += 1;
      events += 1;
      if (rand() < 0.15) {
        // A formatter run from the terminal rewrites the file on disk (trailing spaces: the lines typed on).
        const formatted = text.replace(/ +\n/g, '\n');
        const ev = diskChangeEvent(file, session.knownDisk(repo, file), { state: 'text', text: formatted }, 'full', PASS_THROUGH);
        if (ev) {
          session.record(repo, ev.kind, ev.data, 'external');
          events += 1;
          counts.externalChanges += 1;
        }
        session.setDisk(repo, file, formatted);
        files.set(key, formatted);
        session.forgetBuffer(key); // the editor reloads it: the next edit snapshots it again
      }
      if (rand() < 0.2) {
        const ok = rand() < 0.6;
        session.record(
          repo,
          'terminal.command',
          { terminal: 't1', commandLine: 'npm test', confidence: 'high', cwd: '.', startTs: clock, endTs: clock + 4000, exitCode: ok ? 0 : 1 },
          'user',
        );
        session.record(
          repo,
          'test.run',
          {
            source: 'terminal',
            command: 'npm test',
            runner: 'jest',
            exitCode: ok ? 0 : 1,
            passed: 40,
            failed: ok ? 0 : 2,
            skipped: 1,
            failingTests: ok ? [] : ['parser › keeps order', 'cache › evicts'],
            durationMs: 4000,
          },
          'user',
        );
        clock += 5000;
        events += 2;
        counts.testRuns += 1;
      }
    }
    clock += 60_000;
    session.record(
      repo,
      'git.commit',
      {
        sha: hex40(t),
        parents: ['b'.repeat(40)],
        branch: 'main',
        message: `task ${t}`,
        author: 'p_0000000000000000',
        authorTime: clock,
        files: [...touched].map((path) => ({ path, status: 'M', added: 1, deleted: 1, blob: gitBlobId(files.get(`${repo}/${path}`)) })),
      },
      'user',
    );
    counts.commits += 1;
    session.endTask([repo], { outcome: rand() < 0.8 ? 'solved' : 'partial', note: '' });
    if (rand() < 0.7) {
      session.resumeTask(taskId);
      session.record(repo, 'task.review', { approved: true }, 'user');
      session.resumeTask(null);
    }
    clock += 5 * 60_000;
    counts.tasks += 1;
    await session.flush();
    onProgress?.(t + 1);
  }
  await session.dispose();
  return counts;
}

function hex40(n) {
  return n.toString(16).padStart(40, '0');
}
