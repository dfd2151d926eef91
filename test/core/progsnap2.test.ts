// ProgSnap2 exports checked against the spec's machine-readable definition (the ProgSnap2
// toolbox's progsnap2-v1.0.yaml, kept as test/fixtures/progsnap2/spec.json), on stores written
// the way the extension writes them: typing, pasting, deleting, diagnostics, a rename, failing
// and passing test runs, commits, in two tasks.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { exportStore } from '../../src/core/export/exporter';
import { checkManifest, type Manifest } from '../../src/core/export/manifest';
import { readCodeState, validateProgSnap2, PS2_SPEC } from '../helpers/progsnap2Spec';
import { captureSession, commit, externalChange, NEW_TEST, RANGE_AFTER, recordRangeTask, REPO_ID, SimDoc } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';
import { CodetrailError } from '../../src/core/base/errors';
import { codetrail } from '../helpers/cli';
import { GitCodeStateWriter } from '../../src/core/export/progsnap2Git';
import type { CodeState } from '../../src/core/export/progsnap2CodeStates';
import type { CaptureSession } from '../../src/core/capture/captureSession';

const UTIL = 'export function clamp(x, lo, hi) {\n  return x;\n}\n';
const FIXED = 'export function clamp(x, lo, hi) {\n  return Math.min(hi, Math.max(lo, x));\n}\n';
const MESSAGE = "Cannot find name 'Mth'.";
const QUOTED = 'printf "%s\\n" "a, \\"b\\"" \\\n  > notes.txt';

/** A second task: a file made outside the editor, typed into, pasted into, cut from, a type error, renamed, tests run. */
async function recordClampTask(session: CaptureSession): Promise<string> {
  const taskId = session.startTask([REPO_ID], { title: 'Clamp', description: 'clamp ignores its bounds', auto: false, branch: 'main' });
  externalChange(session, 'src/util.js', UTIL);
  const doc = new SimDoc(session, 'src/util.js', UTIL);
  const at = UTIL.indexOf('x;');
  doc.type(at, 'Mth.min(hi, Math.max(lo, x));', 'x;'.length);
  session.record(
    REPO_ID,
    'diagnostics',
    {
      file: 'src/util.js',
      errors: 1,
      warnings: 1,
      items: [
        { line: 1, character: 9, severity: 'error', message: MESSAGE, source: 'ts', code: '2304' },
        { line: 0, character: 0, severity: 'warning' },
      ],
    },
    'system',
  );
  // Problems in a file whose content was never recorded (the npm extension reads package.json unseen): no Compile row.
  session.record(REPO_ID, 'diagnostics', { file: 'package.json', errors: 0, warnings: 1, items: [{ line: 0, character: 0, severity: 'warning' }] }, 'system');
  doc.type(at, 'Math', 'Mth'.length, 'paste');
  doc.typeKeys(doc.text.indexOf('));') + 3, ' // clamp');
  // A pause, then the comment is cut: a burst of its own, not folded into the typing.
  session.closeBursts();
  doc.type(doc.text.indexOf(' // clamp'), '', ' // clamp'.length);
  session.record(REPO_ID, 'diagnostics', { file: 'src/util.js', errors: 0, warnings: 0, items: [] }, 'system');
  doc.save();
  session.record(REPO_ID, 'file.rename', { file: 'src/clamp.js', oldFile: 'src/util.js' }, 'user');
  // Quotes, commas and a line break in one field, as a real terminal command had (CSV quoting).
  const ts = Date.now();
  session.record(
    REPO_ID,
    'terminal.command',
    { terminal: 't1', commandLine: QUOTED, confidence: 'high', cwd: '.', startTs: ts, endTs: ts + 5, exitCode: 0 },
    'user',
  );
  session.record(
    REPO_ID,
    'test.run',
    {
      source: 'terminal',
      command: 'node --test',
      runner: 'node-test',
      exitCode: 1,
      passed: 3,
      failed: 2,
      skipped: 0,
      failingTests: ['range of one', 'clamp low'],
      durationMs: 40,
    },
    'user',
  );
  session.record(
    REPO_ID,
    'test.run',
    { source: 'terminal', command: 'node --test', runner: 'node-test', exitCode: 0, passed: 5, failed: 0, skipped: 0, failingTests: [], durationMs: 40 },
    'user',
  );
  commit(session, { 'src/clamp.js': FIXED }, { message: 'Clamp' });
  session.endTask([REPO_ID], { outcome: 'solved', note: '' });
  session.resumeTask(taskId);
  session.record(REPO_ID, 'task.review', { approved: true }, 'user');
  session.resumeTask(null);
  await session.flush();
  return taskId;
}

describe('progsnap2 export, validated against the spec definition', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let out: string;
  let rangeTask: string;
  let clampTask: string;

  beforeEach(async () => {
    const store = join(tmp(), 'store');
    const session = captureSession(store);
    rangeTask = await recordRangeTask(session);
    clampTask = await recordClampTask(session);
    await session.dispose();
    out = join(tmp(), 'ps2');
    await exportStore({ store, out, format: 'progsnap2', version: 'test' });
  });

  it('the fixture says where it comes from: the toolbox spec file, its commit and blob, its licence', () => {
    assert.equal(PS2_SPEC.source.repository, 'https://github.com/CSSPLICE/ProgSnapToolbox');
    assert.match(PS2_SPEC.source.commit, /^[0-9a-f]{40}$/);
    assert.match(PS2_SPEC.source.git_blob, /^[0-9a-f]{40}$/);
    assert.match(PS2_SPEC.source.licence, /LICENSE/);
    assert.ok(PS2_SPEC.event_types.length >= 20 && PS2_SPEC.columns.length >= 30);
  });

  it('passes every rule of the spec: vocabularies, required and allowed columns per event type, datatypes, metadata, code states', async () => {
    const { problems, rows } = await validateProgSnap2(out);
    assert.deepEqual(problems, []);
    assert.ok(rows.length > 30, `${rows.length} rows`);
    const types = new Set(rows.map((r) => r.EventType));
    for (const t of ['Session.Start', 'File.Edit', 'File.Save', 'File.Rename', 'Compile', 'Compile.Error', 'Compile.Warning', 'Run.Program', 'Run.Test'])
      assert.ok(types.has(t), t);
    // Read back by DuckDB's CSV reader: quotes, commas and line breaks survive the quoting.
    assert.deepEqual(
      rows.filter((r) => r['X-Command'] === QUOTED).map((r) => r.EventType),
      ['X-Terminal.Command'],
    );
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(await checkManifest(out, manifest), undefined);
  });

  it("the manifest lists every file, code states included, with the checksum of its bytes (the code states' taken from their content, not read back)", async () => {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const onDisk = (await readdir(out, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name !== 'manifest.json')
      .map((e) => relative(out, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
    assert.deepEqual(manifest.files.map((f) => f.path).sort(), onDisk);
    const { states } = await validateProgSnap2(out);
    const stateFiles = [...states.values()].reduce((n, paths) => n + paths.length, 0);
    assert.ok(stateFiles > 0);
    assert.equal(onDisk.filter((p) => p.startsWith('CodeStates/')).length, stateFiles);
    for (const f of manifest.files) {
      const bytes = await readFile(join(out, f.path));
      assert.deepEqual([f.sha256, f.bytes], [createHash('sha256').update(bytes).digest('hex'), bytes.length], f.path);
    }
    // A code state changed after export is caught like any other file.
    const state = manifest.files.find((f) => f.path.startsWith('CodeStates/'))!;
    await rm(join(out, state.path));
    await writeFile(join(out, state.path), 'changed\n');
    assert.match((await checkManifest(out, manifest)) ?? '', /does not match its checksum/);
  });

  it("edits: typed ones are the user's direct action; a cut is a Delete, a paste a Paste, a retyped word a Replace", async () => {
    const edits = (await validateProgSnap2(out)).rows.filter((r) => r.EventType === 'File.Edit' && r.ProblemID === clampTask);
    // The keys typed in one burst are one edit (the capture session coalesces them).
    assert.deepEqual(
      edits.map((r) => r.EditType),
      ['Replace', 'Paste', 'Insert', 'Delete'],
    );
    for (const r of edits) assert.equal(r.EventInitiator, 'UserDirectAction');
    // The first edit replaced `x;` on the second line, ninth column.
    assert.equal(edits[0]!.SourceLocation, `Text:2:${UTIL.split('\n')[1]!.indexOf('x;') + 1}`);
  });

  it('a test run is a Run.Program, each failing test a Run.Test sharing its ExecutionID, TestIDs scoped by task', async () => {
    const { rows } = await validateProgSnap2(out);
    const runs = rows.filter((r) => r.EventType === 'Run.Program' && r.ProblemID === clampTask);
    assert.deepEqual(
      runs.map((r) => [r.ExecutionResult, r.Score]),
      [
        ['Error', '0.6000'],
        ['Success', '1.0000'],
      ],
    );
    const tests = rows.filter((r) => r.EventType === 'Run.Test');
    const failing = tests.filter((r) => r.ExecutionID === runs[0]!.ExecutionID);
    assert.deepEqual(
      failing.map((r) => [r.TestID, r.ExecutionResult, r.Score]),
      [
        [`${clampTask}/range of one`, 'TestFailed', '0'],
        [`${clampTask}/clamp low`, 'TestFailed', '0'],
      ],
    );
    // The same test failed in the other task: a TestID of its own there.
    assert.ok(tests.some((r) => r.TestID === `${rangeTask}/range of one`));
  });

  it('diagnostics: a Compile row, and per diagnostic a Compile.Error or Compile.Warning with the columns the spec requires', async () => {
    const { rows } = await validateProgSnap2(out);
    const compiles = rows.filter((r) => r.EventType === 'Compile');
    assert.deepEqual(
      compiles.map((r) => r.CompileResult),
      ['Error', 'Success'],
    );
    const children = rows.filter((r) => r.ParentEventID === compiles[0]!.EventID);
    assert.deepEqual(
      children.map((r) => [r.EventType, r.CodeStateSection, r.CompileMessageType, r.CompileMessageData, r.SourceLocation]),
      [
        ['Compile.Error', 'src/util.js', 'ts(2304)', MESSAGE, 'Text:2:10'],
        ['Compile.Warning', 'src/util.js', 'diagnostic', '(message not recorded at this capture level)', 'Text:1:1'],
      ],
    );
  });

  it('a rename names the old file as CodeStateSection and the new one as DestinationCodeStateSection; the state after it has only the new one', async () => {
    const { rows, states } = await validateProgSnap2(out);
    const rename = rows.find((r) => r.EventType === 'File.Rename')!;
    assert.deepEqual([rename.CodeStateSection, rename.DestinationCodeStateSection], ['src/util.js', 'src/clamp.js']);
    // Each task is replayed on its own: its states hold the files its records know.
    assert.deepEqual(states.get(rename.CodeStateID), ['src/clamp.js']);
  });

  it('code states are the whole project: the state at a test run holds every recorded file with its content then', async () => {
    const { rows, states } = await validateProgSnap2(out);
    const last = rows.filter((r) => r.EventType === 'Run.Program' && r.ProblemID === rangeTask).at(-1)!;
    assert.deepEqual(states.get(last.CodeStateID), ['src/range.js', 'test/range.test.js']);
    assert.equal(await readFile(join(out, 'CodeStates', last.CodeStateID, 'src/range.js'), 'utf8'), RANGE_AFTER);
    assert.equal(await readFile(join(out, 'CodeStates', last.CodeStateID, 'test/range.test.js'), 'utf8'), NEW_TEST);
    const saved = rows.find((r) => r.EventType === 'File.Save' && r.ProblemID === clampTask)!;
    assert.equal(await readFile(join(out, 'CodeStates', saved.CodeStateID, 'src/util.js'), 'utf8'), FIXED);
  });

  it('each distinct file content takes disk space once: repeated files are hard links', async () => {
    const { states } = await validateProgSnap2(out);
    const inodeOf = new Map<string, number>();
    let files = 0;
    for (const [id, paths] of states) {
      for (const p of paths) {
        const path = join(out, 'CodeStates', id, p);
        const [content, { ino }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
        files += 1;
        assert.equal(inodeOf.get(content) ?? ino, ino, `${id}/${p}: the same content is stored twice`);
        inodeOf.set(content, ino);
      }
    }
    assert.ok(files > inodeOf.size, `${files} files, ${inodeOf.size} distinct contents`);
  });

  it('the validator refuses what the issue saw: User/System initiators, Run.Test without ExecutionID/TestID, session ids on file events, lost code states, a wrong Version', async () => {
    const main = join(out, 'MainTable.csv');
    const lines = (await readFile(main, 'utf8')).split('\r\n');
    const header = lines[0]!.split(',');
    const col = (name: string) => header.indexOf(name);
    const edited = lines.map((line, i) => {
      const f = line.split(',');
      if (i === 0 || f.length !== header.length) return line;
      if (f[0] === 'File.Edit') f[col('EventInitiator')] = 'User';
      if (f[0] === 'File.Save') Object.assign(f, { [col('SessionID')]: f[col('X-Session')]!, [col('CodeStateID')]: '' });
      if (f[0] === 'Run.Test') f[col('TestID')] = '';
      return f.join(',');
    });
    await writeFile(main, edited.join('\r\n'));
    await writeFile(join(out, 'DatasetMetadata.csv'), (await readFile(join(out, 'DatasetMetadata.csv'), 'utf8')).replace('Version,1.0', 'Version,6.0'));
    const { problems } = await validateProgSnap2(out);
    assert.ok(
      problems.some((p) => /File\.Edit.*EventInitiator = "User": not in the EventInitiator vocabulary/.test(p)),
      'initiator',
    );
    assert.ok(
      problems.some((p) => /File\.Save.*column SessionID is not expected on File\.Save/.test(p)),
      'session id',
    );
    assert.ok(
      problems.some((p) => /Run\.Test.*required column TestID is empty/.test(p)),
      'test id',
    );
    assert.ok(
      problems.some((p) => /File\.Save.*required column CodeStateID is empty/.test(p)),
      'a state lost after one was known',
    );
    assert.ok(
      problems.some((p) => /Version "6\.0" is not the spec's 1\.0/.test(p)),
      'version',
    );
  });
});

describe('progsnap2 export, Git representation (--progsnap2-code-states git)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let store: string;
  let dirOut: string;
  let gitOut: string;
  const git = (args: string[]) => execFileSync('git', [`--git-dir=${join(gitOut, 'CodeStates')}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

  beforeEach(async () => {
    store = join(tmp(), 'store');
    const session = captureSession(store);
    await recordRangeTask(session);
    await recordClampTask(session);
    await session.dispose();
    dirOut = join(tmp(), 'directory');
    gitOut = join(tmp(), 'git');
    await exportStore({ store, out: dirOut, format: 'progsnap2', version: 'test' });
    await exportStore({ store, out: gitOut, format: 'progsnap2', version: 'test', formatOptions: { progsnap2CodeStates: 'git' } });
  });

  it('passes every rule of the spec; DatasetMetadata says Git; every CodeStateID is a commit of the CodeStates repository', async () => {
    const { problems, rows } = await validateProgSnap2(gitOut);
    assert.deepEqual(problems, []);
    assert.match(await readFile(join(gitOut, 'DatasetMetadata.csv'), 'utf8'), /\r\nCodeStateRepresentation,Git\r\n/);
    assert.match(await readFile(join(dirOut, 'DatasetMetadata.csv'), 'utf8'), /\r\nCodeStateRepresentation,Directory\r\n/);
    const ids = new Set(rows.map((r) => r.CodeStateID).filter(Boolean));
    assert.ok(ids.size > 5, `${ids.size} states`);
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{40}$/);
      assert.equal(git(['cat-file', '-t', id]).trim(), 'commit', id);
    }
    const manifest = JSON.parse(await readFile(join(gitOut, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(manifest.options?.progsnap2_code_states, 'git');
  });

  it('each state holds exactly the files and contents the Directory representation writes for the same store', async () => {
    const [byDir, byGit] = await Promise.all([validateProgSnap2(dirOut), validateProgSnap2(gitOut)]);
    assert.deepEqual(
      byGit.rows.map((r) => r.EventID),
      byDir.rows.map((r) => r.EventID),
    );
    // One Git id per Directory id and back: the same states, named differently.
    const gitOf = new Map<string, string>();
    const dirOf = new Map<string, string>();
    for (const [i, row] of byDir.rows.entries()) {
      const gitId = byGit.rows[i]!.CodeStateID;
      assert.equal(Boolean(gitId), Boolean(row.CodeStateID), row.EventID);
      if (!row.CodeStateID) continue;
      assert.equal(gitOf.get(row.CodeStateID) ?? gitId, gitId, row.EventID);
      assert.equal(dirOf.get(gitId) ?? row.CodeStateID, row.CodeStateID, row.EventID);
      gitOf.set(row.CodeStateID, gitId);
      dirOf.set(gitId, row.CodeStateID);
    }
    assert.ok(gitOf.size > 5);
    for (const [dirId, gitId] of gitOf) assert.deepEqual(await readCodeState(gitOut, 'Git', gitId), await readCodeState(dirOut, 'Directory', dirId), dirId);
    // Everything else in the table is the same.
    const rest = (rows: Record<string, string>[]) => rows.map(({ CodeStateID: _, ...r }) => r);
    assert.deepEqual(rest(byGit.rows), rest(byDir.rows));
  });

  it('stores each distinct file content once: one blob per content across all states', async () => {
    const { states } = await validateProgSnap2(dirOut);
    const contents = new Set<string>();
    for (const id of states.keys()) for (const text of (await readCodeState(dirOut, 'Directory', id)).values()) contents.add(text);
    const blobs = git(['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)'])
      .split('\n')
      .filter((t) => t === 'blob').length;
    assert.equal(blobs, contents.size);
  });

  it('the manifest covers the repository (its pack, index and refs) in a few entries, catches a changed pack, and git fsck finds it sound', async () => {
    const manifest = JSON.parse(await readFile(join(gitOut, 'manifest.json'), 'utf8')) as Manifest;
    const onDisk = (await readdir(gitOut, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name !== 'manifest.json')
      .map((e) => relative(gitOut, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
    assert.deepEqual(manifest.files.map((f) => f.path).sort(), onDisk);
    const repo = onDisk.filter((p) => p.startsWith('CodeStates/'));
    assert.ok(
      repo.some((p) => /^CodeStates\/objects\/pack\/pack-[0-9a-f]{40}\.pack$/.test(p)),
      repo.join(' '),
    );
    assert.ok(
      repo.some((p) => /^CodeStates\/objects\/pack\/pack-[0-9a-f]{40}\.idx$/.test(p)),
      repo.join(' '),
    );
    assert.ok(
      repo.some((p) => p.startsWith('CodeStates/refs/heads/')),
      repo.join(' '),
    );
    const { states } = await validateProgSnap2(gitOut);
    assert.ok(repo.length < 15 && repo.length < states.size, `${repo.length} repository files for ${states.size} states`);
    assert.equal(await checkManifest(gitOut, manifest), undefined);
    execFileSync('git', [`--git-dir=${join(gitOut, 'CodeStates')}`, 'fsck', '--strict', '--no-dangling'], { stdio: 'pipe' });
    const pack = manifest.files.find((f) => f.path.endsWith('.pack'))!;
    await writeFile(join(gitOut, pack.path), 'changed\n');
    assert.match((await checkManifest(gitOut, manifest)) ?? '', /does not match its checksum/);
  });

  it('codetrail export takes --progsnap2-code-states git (Directory unless asked), records it in the manifest, and refuses another value', async () => {
    const cliOut = join(tmp(), 'cli');
    const { code, stderr } = await codetrail(['export', '--store', store, '--format', 'progsnap2', '--out', cliOut, '--progsnap2-code-states', 'git']);
    assert.equal(code, 0, stderr);
    assert.match(await readFile(join(cliOut, 'DatasetMetadata.csv'), 'utf8'), /\r\nCodeStateRepresentation,Git\r\n/);
    assert.equal((JSON.parse(await readFile(join(cliOut, 'manifest.json'), 'utf8')) as Manifest).options?.progsnap2_code_states, 'git');
    assert.equal((JSON.parse(await readFile(join(dirOut, 'manifest.json'), 'utf8')) as Manifest).options?.progsnap2_code_states, 'directory');
    const refused = await codetrail(['export', '--store', store, '--format', 'progsnap2', '--out', join(tmp(), 'tree'), '--progsnap2-code-states', 'tree']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--progsnap2-code-states/);
  });

  it('refuses hostile recorded file names exactly as the Directory representation does, and writes nothing outside the export', async () => {
    const hostile = [
      '.git/hooks/post-checkout',
      'src/.GIT/config',
      'src/.git. /config',
      'git~1/HEAD',
      '../escape.js',
      'src/../../escape.js',
      '/tmp/abs.js',
      'src\\x.js',
      // A file and a folder of the same name in one state.
      'src/ok.js/inner.js',
    ];
    for (const [i, name] of hostile.entries()) {
      const root = join(tmp(), `hostile-${i}`);
      const session = captureSession(join(root, 'store'));
      session.startTask([REPO_ID], { title: 'Hostile', description: '', auto: false, branch: 'main' });
      externalChange(session, 'src/ok.js', 'ok\n');
      externalChange(session, name, 'planted\n');
      session.record(
        REPO_ID,
        'test.run',
        { source: 'terminal', command: 't', runner: 'node-test', exitCode: 0, passed: 1, failed: 0, skipped: 0, failingTests: [], durationMs: 1 },
        'user',
      );
      session.endTask([REPO_ID], { outcome: 'solved', note: '' });
      await session.flush();
      await session.dispose();
      // Refused, or (a name the capture or the replay already drops) exported: the files its states hold.
      const outcome = async (codeStates: 'directory' | 'git') => {
        const out = join(root, codeStates);
        try {
          await exportStore({
            store: join(root, 'store'),
            out,
            format: 'progsnap2',
            version: 'test',
            includeUnapproved: true,
            formatOptions: { progsnap2CodeStates: codeStates },
          });
        } catch (err) {
          if (err instanceof CodetrailError) return `refused: ${err.message}`;
          throw err;
        }
        const { problems, states } = await validateProgSnap2(out);
        assert.deepEqual(problems, [], name);
        return `exported: ${[...new Set([...states.values()].flat())].sort().join(' ')}`;
      };
      const byDir = await outcome('directory');
      assert.equal(await outcome('git'), byDir, name);
      if (/git/i.test(name)) assert.match(byDir, /^refused: .*goes into a \.git folder; refusing it$/, name);
      else if (name.startsWith('src/ok.js/')) assert.match(byDir, /^refused: .*make one both a file and a folder; refusing them$/, name);
      else assert.ok(!byDir.includes('escape') && !byDir.includes('abs.js'), `${name}: ${byDir}`);
      assert.deepEqual((await readdir(root)).sort(), ['directory', 'git', 'store'], name);
    }
    assert.deepEqual((await readdir(tmp())).filter((n) => !n.startsWith('hostile-')).sort(), ['directory', 'git', 'store']);
  });
});

describe('progsnap2 Git code states: one importer per bounded number of commits', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  it('a new pack every few commits still stores each object once, and every state reads back whole', async () => {
    const out = join(tmp(), 'out');
    await mkdir(out);
    const file = (text: string) => ({ text, sha: createHash('sha256').update(text).digest('hex') });
    const state = (id: string, files: Record<string, string>): CodeState => ({
      id,
      ts: Date.UTC(2026, 0, 1),
      files: new Map(Object.entries(files).map(([p, t]) => [p, file(t)])),
    });
    // Three tasks sharing a README, each editing its own file; a file deleted in the middle.
    const tasks = ['t1', 't2', 't3'].map((t) => [
      state(`${t}a`, { 'README.md': 'shared\n', [`src/${t}.js`]: 'one\n', 'tmp/x': 'x\n' }),
      state(`${t}b`, { 'README.md': 'shared\n', [`src/${t}.js`]: 'one\ntwo\n' }),
      state(`${t}c`, { 'README.md': 'shared\n', [`src/${t}.js`]: `one\ntwo\n${t}\n` }),
    ]);
    const writer = new GitCodeStateWriter(out, 2);
    const ids = new Map<string, string>();
    for (const [i, states] of tasks.entries()) for (const [k, v] of await (await writer.writeTask(`t${i + 1}`, states)).ids) ids.set(k, v);
    await writer.finish();
    const gitDir = `--git-dir=${join(out, 'CodeStates')}`;
    const packs = (await readdir(join(out, 'CodeStates', 'objects', 'pack'))).filter((n) => n.endsWith('.pack'));
    assert.equal(packs.length, 3);
    for (const states of tasks)
      for (const s of states) {
        const read = await readCodeState(out, 'Git', ids.get(s.id)!);
        assert.deepEqual(read, new Map([...s.files].map(([p, f]) => [p, f.text])), s.id);
      }
    const unique = execFileSync('git', [gitDir, 'cat-file', '--batch-all-objects', '--batch-check']).toString().trim().split('\n').length;
    const inPacks = Number(/in-pack: (\d+)/.exec(execFileSync('git', [gitDir, 'count-objects', '-v']).toString())![1]);
    assert.equal(inPacks, unique);
  });
});
