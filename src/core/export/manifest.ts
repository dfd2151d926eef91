// manifest.json (versions, counts, the sha256 of every file, provenance per task, and a seal
// over all of it); the README.md dataset card is card.ts. The seal is a checksum, not a
// signature: it catches a manifest edited by hand or by a script that does not know about it (a
// task flipped to approved or `exact`), and names the task; whoever recomputes it can forge it.
// Merge therefore also recomputes from the data what the data allows (provenanceCheck.ts).
import { createHash } from 'node:crypto';
import { openForReading, relativePathProblem } from '../base/confine';
import { forEachAtOnce } from '../base/atOnce';
import { CodetrailError } from '../base/errors';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_SCHEMA_VERSION } from '../schema/events';
import type { KnownChecksums } from './format';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface TaskProvenance {
  task_id: string;
  repo: string;
  contributor: string;
  policy_hash: string | null;
  consent_at: string | null;
  redaction_rules: string | null;
  replay_status: string;
  approved: boolean;
  /** Records the engineer deleted in review (each run marked by a gap record). */
  deleted_in_review: number;
}

/** Checksums over a manifest: each task's provenance on its own (so a refusal can name the task), and the whole. */
export interface ManifestSeal {
  algorithm: 'sha256';
  /** task id → sha256 of the task's provenance, canonical JSON. */
  tasks: Record<string, string>;
  /** sha256 of the manifest without its seal, canonical JSON. */
  manifest: string;
}

export interface Manifest {
  tool: { name: 'codetrail'; version: string };
  schema_version: number;
  format: string;
  created_at: string;
  counts: { tasks: number; rows: number; events: number };
  configs: { name: string; split: string; files: string[] }[];
  files: ManifestFile[];
  tasks: TaskProvenance[];
  seal: ManifestSeal;
  /** The export options that shaped its rows or chose its tasks (absent: written before they were recorded). */
  options?: ExportOptionsRecord;
  /** Tasks exported that made no row, and why (e.g. a SWE-bench instance without FAIL_TO_PASS); in a merge, which input said so. */
  excluded?: ExcludedEntry[];
  /** `codetrail validate`: the SWE-bench harness version whose rules graded the runs, and the outcome. */
  validation?: Validation;
  /** A merged export: each input, in the order given; `excluded[].input` indexes this list. */
  inputs?: MergedInput[];
}

export interface ExcludedEntry {
  task_id: string;
  reason: string;
  /** A merged export: the index in `inputs` of the export that left the task out. */
  input?: number;
}

export interface Validation {
  harness: { version: string; commit: string };
  at: string;
  valid: number;
  invalid: number;
}

/**
 * The options of `codetrail export` that a reader of the data must know: `trl_arguments` shapes
 * TRL rows, `max_generated` and `include_unapproved` choose the tasks. Merge refuses inputs whose
 * rows or admission rule differ (MERGE_MUST_MATCH) rather than mix them.
 */
export interface ExportOptionsRecord {
  trl_arguments?: 'object' | 'string';
  /** Zed: rows whose expected output was generated (completion, agent) were kept. */
  zed_generated?: boolean;
  /** ProgSnap2: how code states are written (its DatasetMetadata.csv says it too). */
  progsnap2_code_states?: 'directory' | 'git';
  max_generated?: number;
  include_unapproved?: boolean;
}

export const MERGE_MUST_MATCH = ['trl_arguments', 'zed_generated', 'max_generated'] as const satisfies readonly (keyof ExportOptionsRecord)[];

/** What an export records of its options: only those that apply to its format. */
export function exportOptionsRecord(
  format: string,
  opts: {
    includeUnapproved?: boolean;
    maxGenerated?: number;
    formatOptions?: { trlArguments?: 'object' | 'string'; zedGenerated?: boolean; progsnap2CodeStates?: 'directory' | 'git' };
  },
): ExportOptionsRecord {
  return {
    ...(format === 'trl' ? { trl_arguments: opts.formatOptions?.trlArguments ?? 'object' } : {}),
    ...(format === 'zed' ? { zed_generated: opts.formatOptions?.zedGenerated ?? false } : {}),
    ...(format === 'progsnap2' ? { progsnap2_code_states: opts.formatOptions?.progsnap2CodeStates ?? 'directory' } : {}),
    ...(opts.maxGenerated !== undefined ? { max_generated: opts.maxGenerated } : {}),
    include_unapproved: opts.includeUnapproved ?? false,
  };
}

/** One input of a merge: which export it was (by its seal), what it was made with, what it left out and how it was validated. */
export interface MergedInput {
  /** The input manifest's `seal.manifest`: names the export without its folder's path. */
  manifest_seal: string;
  tool_version: string;
  created_at: string;
  tasks: number;
  options?: ExportOptionsRecord;
  validation?: Validation;
}

export const MANIFEST = 'manifest.json';

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The seal of a manifest (its `seal` field, if any, left out). */
export function sealOf(manifest: Omit<Manifest, 'seal'> & { seal?: unknown }): ManifestSeal {
  const { seal: _seal, ...rest } = manifest;
  // No prototype: a task id such as `__proto__` is a key like any other.
  const tasks = Object.create(null) as Record<string, string>;
  for (const t of manifest.tasks) tasks[t.task_id] = sha256(canonicalJson(t));
  return { algorithm: 'sha256', tasks, manifest: sha256(canonicalJson(rest)) };
}

/** What in `manifest` no longer matches its seal, named (the first task, else the manifest); undefined when it holds. */
export function sealProblem(manifest: Omit<Manifest, 'seal'> & { seal?: unknown }): string | undefined {
  // Read from a file someone else wrote: every part is checked before use.
  const seal: unknown = manifest.seal;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(seal) || typeof seal.manifest !== 'string' || !isObject(seal.tasks)) {
    return 'it has no seal over its provenance (written before seals existed, or the seal was removed): export it again';
  }
  const expected = sealOf(manifest);
  for (const t of manifest.tasks) {
    const recorded = Object.hasOwn(seal.tasks, t.task_id) ? seal.tasks[t.task_id] : undefined;
    if (recorded === undefined) return `task ${t.task_id} is not covered by its seal: it was added after export`;
    if (recorded !== expected.tasks[t.task_id])
      return `the provenance of task ${t.task_id} (approval, replay status, policy hash, consent, redaction rules) was changed after export: it does not match its seal`;
  }
  const removed = Object.keys(seal.tasks).find((id) => !Object.hasOwn(expected.tasks, id));
  if (removed) return `task ${removed} was removed from it after export`;
  if (seal.manifest !== expected.manifest) return 'it was changed after export (counts, configs, the file list or another field no longer match its seal)';
  return undefined;
}

/** Files hashed, and folders listed, at once: enough to keep the thread pool busy while one waits on the disk. */
const HASHING_AT_ONCE = 8;

/**
 * Files a desktop writes into any folder it shows (Finder's, Explorer's): not part of an export,
 * never read, listed or copied, so an export someone browsed still passes its check. Only regular
 * files by these exact names; a link or anything else by the same name is still refused.
 */
const DESKTOP_FILES: ReadonlySet<string> = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * The regular files under an export folder, as `/`-separated paths relative to it, the manifest
 * itself and a desktop's files left out; or the first entry that is neither a file nor a folder (a symbolic link, a
 * FIFO...), named. Folders are read several at a time: a ProgSnap2 export holds one per code state.
 */
async function exportFiles(dir: string): Promise<{ files: string[]; problem?: undefined } | { problem: string }> {
  const files: string[] = [];
  let problem: string | undefined;
  for (let level = ['']; level.length > 0 && problem === undefined;) {
    const next: string[] = [];
    await forEachAtOnce(level, HASHING_AT_ONCE, async (folder) => {
      for (const entry of await readdir(join(dir, folder), { withFileTypes: true })) {
        const rel = folder ? `${folder}/${entry.name}` : entry.name;
        if (entry.isDirectory()) next.push(rel);
        else if (entry.isFile()) {
          if (rel !== MANIFEST && !DESKTOP_FILES.has(entry.name)) files.push(rel);
        } else
          problem ??= entry.isSymbolicLink()
            ? `${join(dir, rel)} is a symbolic link; Codetrail does not follow links in exports`
            : `${join(dir, rel)} is not a regular file (a FIFO, socket or device); refusing it`;
      }
    });
    level = next;
  }
  return problem === undefined ? { files } : { problem };
}

const byPath = (a: ManifestFile, b: ManifestFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Every file under `dir` except the manifest itself, with its checksum, sorted by path. A file in
 * `known` (written by this export from content it had hashed) is taken from there, not read back.
 */
export async function checksumFiles(dir: string, known?: KnownChecksums): Promise<ManifestFile[]> {
  const found = await exportFiles(dir);
  if (found.problem !== undefined) throw new CodetrailError('bad-input', found.problem);
  const out: ManifestFile[] = new Array(found.files.length);
  await forEachAtOnce(found.files, HASHING_AT_ONCE, async (rel, i) => {
    const given = known?.get(rel);
    out[i] = given ? { path: rel, ...given } : { path: rel, ...(await hashFile(join(dir, rel))) };
  });
  return out.sort(byPath);
}

/** A file's sha256 and size, read once, never through a symbolic link; `same` holds the hashes of files already read, by inode (hard links share one). */
async function hashFile(path: string, same?: Map<string, Promise<string>>): Promise<{ sha256: string; bytes: number }> {
  const handle = await openForReading(path);
  let hashing = false;
  try {
    const info = await handle.stat({ bigint: true });
    const bytes = Number(info.size);
    const inode = `${info.dev}:${info.ino}`;
    const known = same?.get(inode);
    if (known) return { sha256: await known, bytes };
    const hash = createHash('sha256');
    hashing = true;
    const digest = (async () => {
      for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
      return hash.digest('hex');
    })();
    same?.set(inode, digest);
    return { sha256: await digest, bytes };
  } finally {
    // The read stream closes the handle once it has read it; otherwise it is closed here.
    if (!hashing) await handle.close();
  }
}

export async function writeManifest(
  dir: string,
  manifest: Omit<Manifest, 'files' | 'schema_version' | 'tool' | 'seal'>,
  version: string,
  known?: KnownChecksums,
): Promise<Manifest> {
  const unsealed = { tool: { name: 'codetrail' as const, version }, schema_version: EVENT_SCHEMA_VERSION, ...manifest, files: await checksumFiles(dir, known) };
  const full: Manifest = { ...unsealed, seal: sealOf(unsealed) };
  await writeFile(join(dir, MANIFEST), JSON.stringify(full, null, 2) + '\n');
  return full;
}

/**
 * Checks an export folder against its manifest, which must account for every file in it: each
 * regular file under the folder but the manifest itself is listed, with its size and checksum;
 * each file listed, and each file a config names, is there; nothing is a symbolic link or
 * anything but a file or a folder. A manifest re-sealed without a file (or with `files: []`)
 * thus cannot pass that file unchecked. Names the first file at fault; undefined when all hold.
 * The folder is walked once and each content read once (hard links, as ProgSnap2's code states
 * are, share one read).
 */
export async function checkManifest(dir: string, manifest: Manifest): Promise<string | undefined> {
  const where = join(dir, MANIFEST);
  const listed = new Map<string, ManifestFile>();
  for (const file of manifest.files) {
    const problem = relativePathProblem(file.path);
    if (problem) return `${where} lists a path that ${problem}`;
    if (listed.has(file.path)) return `${where} lists ${file.path} twice`;
    listed.set(file.path, file);
  }
  for (const config of manifest.configs)
    for (const path of config.files) {
      const problem = relativePathProblem(path);
      if (problem) return `${where}: config ${config.name} names a path that ${problem}`;
      if (!listed.has(path)) return `${join(dir, path)} is named by config ${config.name} but has no checksum in ${where}`;
    }
  const found = await exportFiles(dir);
  if (found.problem !== undefined) return found.problem;
  const present = new Set(found.files);
  const unlisted = found.files.filter((f) => !listed.has(f)).sort()[0];
  if (unlisted !== undefined) return `${join(dir, unlisted)} is not listed in ${where}: every file of an export must have its checksum there`;
  const files = [...listed.values()];
  const gone = files.find((f) => !present.has(f.path));
  if (gone) return `${join(dir, gone.path)} is missing`;
  const problems: (string | undefined)[] = new Array(files.length);
  let failed = false;
  const same = new Map<string, Promise<string>>();
  await forEachAtOnce(files, HASHING_AT_ONCE, async (file, i) => {
    if (failed) return;
    const path = join(dir, file.path);
    const actual = await hashFile(path, same);
    if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
      problems[i] = `${path} does not match its checksum in ${where}`;
      failed = true;
    }
  });
  return problems.find((p) => p !== undefined);
}

/** An export's manifest.json, checked for what readers rely on before it is used: it is untrusted. */
export async function readExportManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  let manifest: Manifest;
  try {
    const handle = await openForReading(path);
    try {
      manifest = JSON.parse(await handle.readFile('utf8')) as Manifest;
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new CodetrailError('bad-input', `${path}: not a readable export manifest (${(err as Error).message})`);
  }
  const problem = manifestShapeProblem(manifest);
  if (problem) throw new CodetrailError('bad-input', `${path}: not an export manifest (${problem})`);
  return manifest;
}

/** What merge and validate rely on in a manifest, checked before use: a hostile file must not crash it. */
function manifestShapeProblem(m: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(m)) return 'not a JSON object';
  if (typeof m.format !== 'string') return '`format` is not a string';
  if (!isObject(m.counts) || typeof m.counts.events !== 'number') return '`counts.events` is not a number';
  const safePath = (p: unknown) => relativePathProblem(p) === undefined;
  if (!Array.isArray(m.files) || !m.files.every((f) => isObject(f) && safePath(f.path) && typeof f.sha256 === 'string' && typeof f.bytes === 'number'))
    return '`files` is not a list of {path inside the export, sha256, bytes}';
  if (!Array.isArray(m.configs) || m.configs.length === 0 || !m.configs.every((c) => isObject(c) && Array.isArray(c.files) && c.files.every(safePath)))
    return '`configs` is not a list of {files inside the export}';
  if (!Array.isArray(m.tasks) || !m.tasks.every((t) => isObject(t) && typeof t.task_id === 'string')) return '`tasks` is not a list of {task_id}';
  // Carried into a merged manifest as they are: their shape is checked, not trusted.
  if (
    m.excluded !== undefined &&
    !(Array.isArray(m.excluded) && m.excluded.every((x) => isObject(x) && typeof x.task_id === 'string' && typeof x.reason === 'string'))
  )
    return '`excluded` is not a list of {task_id, reason}';
  const v = m.validation;
  if (
    v !== undefined &&
    !(
      isObject(v) &&
      isObject(v.harness) &&
      typeof v.harness.version === 'string' &&
      typeof v.harness.commit === 'string' &&
      typeof v.at === 'string' &&
      typeof v.valid === 'number' &&
      typeof v.invalid === 'number'
    )
  )
    return '`validation` is not {harness: {version, commit}, at, valid, invalid}';
  const o = m.options;
  if (
    o !== undefined &&
    !(
      isObject(o) &&
      (o.trl_arguments === undefined || o.trl_arguments === 'object' || o.trl_arguments === 'string') &&
      (o.max_generated === undefined || typeof o.max_generated === 'number') &&
      (o.zed_generated === undefined || typeof o.zed_generated === 'boolean') &&
      (o.progsnap2_code_states === undefined || o.progsnap2_code_states === 'directory' || o.progsnap2_code_states === 'git') &&
      (o.include_unapproved === undefined || typeof o.include_unapproved === 'boolean')
    )
  )
    return '`options` is not {trl_arguments?, zed_generated?, progsnap2_code_states?, max_generated?, include_unapproved?}';
  return undefined;
}
