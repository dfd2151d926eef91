// manifest.json (versions, counts, the sha256 of every file, provenance per task) and the
// README.md dataset card whose YAML `configs` lets Hugging Face datasets load the export.
import { createHash } from 'node:crypto';
import { openForReading, resolveInside } from '../confine';
import { CodetrailError } from '../errors';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { EVENT_SCHEMA_VERSION } from '../schema/events';

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

export interface Manifest {
  tool: { name: 'codetrail'; version: string };
  schema_version: number;
  format: string;
  created_at: string;
  counts: { tasks: number; rows: number; events: number };
  configs: { name: string; split: string; files: string[] }[];
  files: ManifestFile[];
  tasks: TaskProvenance[];
  /** Tasks exported that made no row, and why (e.g. a SWE-bench instance without FAIL_TO_PASS). */
  excluded?: { task_id: string; reason: string }[];
  /** `codetrail validate`: the SWE-bench harness version whose rules graded the runs, and the outcome. */
  validation?: { harness: { version: string; commit: string }; at: string; valid: number; invalid: number };
}

export const MANIFEST = 'manifest.json';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  // Never through a symbolic link: an export received from someone else could point anywhere.
  for await (const chunk of (await openForReading(path)).createReadStream()) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir` except the manifest itself, with its checksum, sorted by path. */
export async function checksumFiles(dir: string): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (path !== join(dir, MANIFEST)) out.push({ path: relative(dir, path).split(sep).join('/'), sha256: await sha256File(path), bytes: (await stat(path)).size });
    }
  };
  await walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function writeManifest(dir: string, manifest: Omit<Manifest, 'files' | 'schema_version' | 'tool'>, version: string): Promise<Manifest> {
  const full: Manifest = { tool: { name: 'codetrail', version }, schema_version: EVENT_SCHEMA_VERSION, ...manifest, files: await checksumFiles(dir) };
  await writeFile(join(dir, MANIFEST), JSON.stringify(full, null, 2) + '\n');
  return full;
}

/** Checks every file a manifest lists; names the first one whose bytes changed or went missing. */
export async function checkManifest(dir: string, manifest: Manifest): Promise<string | undefined> {
  for (const file of manifest.files) {
    const path = await resolveInside(dir, file.path, join(dir, MANIFEST));
    const actual = await sha256File(path).catch((err: unknown) => (err instanceof CodetrailError ? Promise.reject(err) : undefined));
    if (actual === undefined) return `${path} is missing`;
    if (actual !== file.sha256) return `${path} does not match its checksum in ${join(dir, MANIFEST)}`;
  }
  return undefined;
}

export function datasetCard(format: string, description: string, configs: Manifest['configs'], counts: Manifest['counts']): string {
  const yaml = [
    '---',
    'configs:',
    ...configs.flatMap((c, i) => [
      `- config_name: ${c.name}`,
      ...(i === 0 ? ['  default: true'] : []),
      '  data_files:',
      `  - split: ${c.split}`,
      '    path:',
      ...c.files.map((f) => `    - ${f}`),
    ]),
    'tags:',
    '- code',
    '- software-engineering',
    '- trajectories',
    '- codetrail',
    '---',
  ];
  return `${yaml.join('\n')}

# Codetrail export: ${format}

${description}

- tasks: ${counts.tasks}
- rows: ${counts.rows}
- events: ${counts.events}

Recorded with consent in repositories whose teams opted in, redacted before it reached disk, and
replay-verified: each task's \`replay_status\` says whether its record rebuilds exactly what was
committed. \`manifest.json\` has the sha256 of every file and, per task, its provenance (repository
id, policy hash, consent time, redaction rules, replay status).
`;
}
