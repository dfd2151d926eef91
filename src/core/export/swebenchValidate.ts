// `codetrail validate`: each SWE-bench instance of an export checked by running it, in a
// throwaway git worktree of the engineer's clone at base_commit: the test patch alone → every
// FAIL_TO_PASS test fails; patch + test patch → they pass. The runs are read with the parser the
// row names and graded by the harness's rules (swebenchGrading.ts), so FAIL_TO_PASS and
// PASS_TO_PASS become what the runner itself reported. Instances that do not validate leave the
// swebench split and are listed, with why, in the manifest. This runs the repository's code: the
// caller must have been asked for it (the CLI needs --run-tests).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openForReading, openForWriting, resolveInside } from '../base/confine';
import { CodetrailError, errorMessage } from '../base/errors';
import { gitAt } from '../git/gateway';
import { gitBytes } from '../git/repository';
import { AUTHORS, zeroCounts, type AuthorCounts } from '../replay/authorship';
import { datasetCard } from './card';
import { checkManifest, MANIFEST, readExportManifest, sealProblem, writeManifest, type Manifest } from './manifest';
import { HARNESS } from './swebenchHarness';
import { LOG_PARSERS, resolved, testFailed, testPassed, type StatusMap } from './swebenchGrading';
import { swebenchFormat, type SwebenchRow } from './swebench';

export interface InstanceCheck {
  instance_id: string;
  valid: boolean;
  reason?: string;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
  /** Runtime versions where it ran, and the sha256 of each lockfile at base_commit. */
  runtimes?: Record<string, string>;
  lockfiles?: Record<string, string>;
}

/** Lockfiles whose hash pins the environment an instance's image must be built with. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'requirements.txt',
  'Cargo.lock',
  'go.sum',
  'Gemfile.lock',
  'composer.lock',
]);

/** Each lockfile in the tree at `commit`, by path, with the sha256 of its bytes. */
async function lockfileHashes(repo: string, commit: string): Promise<Record<string, string>> {
  const paths = (await gitAt(repo).raw(['ls-tree', '-r', '--name-only', '-z', commit]))
    .split('\0')
    .filter((p) => LOCKFILES.has(p.slice(p.lastIndexOf('/') + 1)) && !p.includes('node_modules/'));
  const out: Record<string, string> = {};
  for (const path of paths)
    out[path] = createHash('sha256')
      .update(await gitBytes(repo, ['cat-file', 'blob', `${commit}:${path}`]))
      .digest('hex');
  return out;
}

/** The commands that print the versions of what runs each parser's tests. */
const RUNTIME_VERSIONS: Record<string, Record<string, string>> = {
  parse_log_tap: { node: 'node --version' },
  parse_log_jest: { node: 'node --version' },
  parse_log_vitest: { node: 'node --version' },
  parse_log_pytest: { python: 'python3 --version', pytest: 'python3 -m pytest --version' },
  parse_log_gotest: { go: 'go version' },
  parse_log_cargo: { cargo: 'cargo --version' },
};

export interface ValidateOptions {
  /** Each test command's time limit. */
  timeoutMs?: number;
  onInstance?: (check: InstanceCheck, done: number, total: number) => void;
}

export interface ValidateSummary {
  export: string;
  harness: typeof HARNESS;
  instances: InstanceCheck[];
  valid: number;
  invalid: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Test output kept per run: enough for the parser, bounded for a runaway suite. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Runs a shell command line in `cwd`; stdout and stderr together, as the harness logs them. */
function runCommand(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    const take = (c: Buffer) => {
      if (bytes < MAX_OUTPUT_BYTES) chunks.push(c);
      bytes += c.length;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: test runners start workers of their own.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}

async function applyPatch(dir: string, patch: string, name: string): Promise<string | undefined> {
  if (!patch) return undefined;
  const file = join(dir, '..', `${name}.diff`);
  await writeFile(file, patch);
  return gitAt(dir)
    .raw(['apply', '--whitespace=nowarn', file])
    .then(
      () => undefined,
      (err: unknown) => `${name} does not apply at base_commit: ${errorMessage(err).split('\n')[0]}`,
    );
}

/** One instance, in a worktree of `repo` at its base commit that is removed afterwards. */
export async function validateInstance(repo: string, row: SwebenchRow, opts: ValidateOptions = {}): Promise<InstanceCheck> {
  const fail = (reason: string): InstanceCheck => ({ instance_id: row.instance_id, valid: false, reason, FAIL_TO_PASS: [], PASS_TO_PASS: [] });
  const parse = LOG_PARSERS[row.log_parser];
  if (!parse) return fail(`no log parser to read the run: log_parser is "${row.log_parser}"`);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(row.base_commit)) return fail('base_commit is not a commit id');
  const git = gitAt(repo);
  if ((await git.rawOr(['cat-file', '-t', row.base_commit], '', { expected: true })).trim() !== 'commit')
    return fail(`base_commit ${row.base_commit} is not in ${repo}: fetch it first`);
  const recorded = JSON.parse(row.FAIL_TO_PASS) as unknown;
  if (!Array.isArray(recorded) || !recorded.every((t) => typeof t === 'string')) return fail('FAIL_TO_PASS is not a JSON list of test ids');

  const scratch = await mkdtemp(join(tmpdir(), 'codetrail-validate-'));
  const dir = join(scratch, 'worktree');
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    await git.raw(['worktree', 'add', '--detach', '--force', dir, row.base_commit]);
    const run = async (when: string): Promise<StatusMap | string> => {
      const r = await runCommand(row.test_command, dir, timeout);
      if (r.timedOut) return `the test command timed out ${when} (${Math.round(timeout / 1000)} s)`;
      // Ids holding the throwaway folder's path (a runner naming files absolutely) would not match in the harness's checkout.
      return new Map([...parse(r.output)].filter(([id]) => !id.includes(scratch)));
    };
    const testPatchProblem = await applyPatch(dir, row.test_patch, 'test_patch');
    if (testPatchProblem) return fail(testPatchProblem);
    const before = await run('with the test patch alone');
    if (typeof before === 'string') return fail(before);
    const patchProblem = await applyPatch(dir, row.patch, 'patch');
    if (patchProblem) return fail(patchProblem);
    const after = await run('with patch and test patch');
    if (typeof after === 'string') return fail(after);
    if (after.size === 0) return fail(`the test command's output names no test ${LOG_PARSERS[row.log_parser] ? `that ${row.log_parser} reads` : ''}`.trim());

    const notFailing = recorded.filter((id) => !testFailed(id, before));
    if (notFailing.length) return fail(`with the test patch alone, FAIL_TO_PASS test(s) do not fail: ${notFailing.join(', ')}`);
    const notPassing = recorded.filter((id) => !testPassed(id, after));
    if (notPassing.length) return fail(`with patch and test patch, FAIL_TO_PASS test(s) do not pass: ${notPassing.join(', ')}`);
    // Every test the fix turns from failing (or absent) to passing, the recorded ones and those
    // the engineer never saw fail; PASS_TO_PASS: those passing both before and after.
    const ids = [...after.keys()];
    const failToPass = ids.filter((id) => testPassed(id, after) && testFailed(id, before));
    const passToPass = ids.filter((id) => testPassed(id, after) && testPassed(id, before));
    if (!resolved(after, failToPass, passToPass) || resolved(before, failToPass, passToPass))
      return fail('the harness would not grade the gold patch as resolving the instance');
    const runtimes: Record<string, string> = {};
    for (const [name, command] of Object.entries(RUNTIME_VERSIONS[row.log_parser] ?? {})) {
      const r = await runCommand(command, dir, 30_000);
      if (r.code === 0) runtimes[name] = r.output.trim().split('\n')[0]!;
    }
    return {
      instance_id: row.instance_id,
      valid: true,
      FAIL_TO_PASS: failToPass,
      PASS_TO_PASS: passToPass,
      runtimes,
      lockfiles: await lockfileHashes(repo, row.base_commit),
    };
  } finally {
    await git.rawOr(['worktree', 'remove', '--force', dir], '', { expected: true });
    await rm(scratch, { recursive: true, force: true });
    await git.rawOr(['worktree', 'prune'], '', { expected: true });
  }
}

async function readSwebenchExport(dir: string): Promise<Manifest> {
  const manifest = await readExportManifest(dir);
  if (manifest.format !== 'swebench') throw new CodetrailError('bad-input', `${dir} is a ${String(manifest.format)} export: validate checks swebench exports`);
  // As merge does: a manifest edited after export is refused, not re-sealed by this rewrite.
  const forged = sealProblem(manifest);
  if (forged) throw new CodetrailError('bad-input', `refusing ${dir}: ${join(dir, MANIFEST)}: ${forged}`);
  const problem = await checkManifest(dir, manifest);
  if (problem) throw new CodetrailError('bad-input', `refusing ${dir}: ${problem}`);
  return manifest;
}

const ROW_STRINGS = ['instance_id', 'base_commit', 'patch', 'test_patch', 'FAIL_TO_PASS', 'test_command', 'log_parser'] as const;

function rowOf(line: string, shard: string): SwebenchRow {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    throw new CodetrailError('bad-input', `${shard}: a line is not JSON`);
  }
  const r = row as Record<string, unknown>;
  if (typeof row !== 'object' || row === null || !ROW_STRINGS.every((k) => typeof r[k] === 'string'))
    throw new CodetrailError('bad-input', `${shard}: a row lacks ${ROW_STRINGS.join(', ')}`);
  return row as SwebenchRow;
}

function environmentOf(row: SwebenchRow): Record<string, unknown> {
  try {
    const env = JSON.parse(row.environment) as unknown;
    return typeof env === 'object' && env !== null && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Rewrites a file of the export, never through a symbolic link planted at its name. */
async function rewrite(path: string, text: string): Promise<void> {
  const handle = await openForWriting(path, 0o644);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

const taskOf = (instanceId: string) => instanceId.slice(instanceId.lastIndexOf('-') + 1);

/**
 * Validates every instance of a swebench export against a clone, and rewrites the export: valid
 * rows with the runner's FAIL_TO_PASS / PASS_TO_PASS, the others removed and listed in the
 * manifest's `excluded`; the manifest records the validation and its checksums are renewed.
 */
/** Who wrote the valid rows' added lines, from their own `authorship`: nothing when a row has none (an export from before it) or it is not counts. */
function authorshipOption(rows: readonly SwebenchRow[]): { authorship?: AuthorCounts } {
  const sum = zeroCounts();
  for (const row of rows) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.authorship);
    } catch {
      return {};
    }
    if (typeof parsed !== 'object' || parsed === null) return {};
    for (const a of AUTHORS) {
      const n = (parsed as Record<string, unknown>)[a];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return {};
      sum[a] += n;
    }
  }
  return { authorship: sum };
}

export async function validateExport(exportDir: string, repo: string, version: string, opts: ValidateOptions = {}): Promise<ValidateSummary> {
  const manifest = await readSwebenchExport(exportDir);
  if (manifest.configs.some((c) => c.name !== 'swebench'))
    throw new CodetrailError('bad-input', `${exportDir} has Parquet shards: validate an export made without --parquet`);
  const shards = await Promise.all(manifest.configs.flatMap((c) => c.files).map((f) => resolveInside(exportDir, f, join(exportDir, MANIFEST))));
  const rows: { shard: string; row: SwebenchRow }[] = [];
  for (const shard of shards) {
    const handle = await openForReading(shard);
    const text = await handle.readFile('utf8').finally(() => handle.close());
    for (const line of text.split('\n')) if (line.trim()) rows.push({ shard, row: rowOf(line, shard) });
  }
  const instances: InstanceCheck[] = [];
  for (const [i, { row }] of rows.entries()) {
    const check = await validateInstance(repo, row, opts);
    instances.push(check);
    opts.onInstance?.(check, i + 1, rows.length);
  }
  for (const shard of shards) {
    const kept = rows.flatMap(({ shard: s, row }, i) => {
      const check = instances[i]!;
      if (s !== shard || !check.valid) return [];
      const environment = { ...environmentOf(row), runtimes: check.runtimes ?? {}, lockfiles: check.lockfiles ?? {} };
      return [
        JSON.stringify({
          ...row,
          FAIL_TO_PASS: JSON.stringify(check.FAIL_TO_PASS),
          PASS_TO_PASS: JSON.stringify(check.PASS_TO_PASS),
          environment: JSON.stringify(environment),
        }) + '\n',
      ];
    });
    await rewrite(shard, kept.join(''));
  }
  const invalid = instances.filter((c) => !c.valid);
  const excluded = [...(manifest.excluded ?? []), ...invalid.map((c) => ({ task_id: taskOf(c.instance_id), reason: `validation: ${c.reason ?? ''}` }))];
  const { tool: _tool, schema_version: _schema, files: _files, seal: _seal, ...rest } = manifest;
  const counts = { ...manifest.counts, rows: instances.length - invalid.length };
  await rewrite(
    join(exportDir, 'README.md'),
    datasetCard({
      format: manifest.format,
      description: swebenchFormat.description,
      schema: swebenchFormat.schema,
      configs: manifest.configs,
      counts,
      tasks: manifest.tasks,
      ...authorshipOption(rows.filter((_, i) => instances[i]!.valid).map((r) => r.row)),
    }),
  );
  await writeManifest(
    exportDir,
    {
      ...rest,
      counts,
      ...(excluded.length ? { excluded } : {}),
      validation: { harness: HARNESS, at: new Date().toISOString(), valid: instances.length - invalid.length, invalid: invalid.length },
    },
    version,
  );
  return { export: exportDir, harness: HARNESS, instances, valid: instances.length - invalid.length, invalid: invalid.length };
}
