// The README.md dataset card of an export: YAML `configs` (which files make which config) and
// `dataset_info` with every column's type pinned, so Hugging Face `datasets` never infers types
// from the first shard (a column that is null in one contributor's rows would become type `null`
// and a later value would fail to cast), then what the data is: tasks, replay verdicts, approvals,
// redaction rules and consent.
//
// Feature YAML is written the way `datasets` writes it (`Features._to_yaml_list`, datasets 4.7+)
// and read back by `Features._from_yaml_list`: `dtype: <value type>`, `list: <feature>`,
// `struct: [...]`, and `dtype: json` for the `Json()` feature (added in datasets 4.7: the value
// is any JSON; the JSON loader parses and the Parquet loader decodes the JSON string it is stored as).
import { AUTHORS, type AuthorCounts } from '../replay/authorship';
import type { Manifest, TaskProvenance } from './manifest';
import type { ParquetField, ParquetSchema } from './parquet';

/** One feature in dataset-card YAML: `{dtype}`, `{list}` or `{struct}` (plus `name` for a column). */
export type CardFeature = { dtype: string } | { list: string | CardFeature | NamedCardFeature[] } | { struct: NamedCardFeature[] };
export type NamedCardFeature = { name: string } & CardFeature;

/** The `datasets` value type each Parquet type is read as (see parquet.ts for the mapping). */
const VALUE_TYPES = { string: 'string', int64: 'int64', double: 'float64', boolean: 'bool', timestamp: 'timestamp[ms, tz=UTC]', json: 'json' } as const;

function feature(field: ParquetField): CardFeature {
  switch (field.type) {
    case 'list': {
      // `datasets` simplifies `list: {dtype: x}` to `list: x` and `list: {struct: [...]}` to `list: [...]`.
      const inner = feature(field.element);
      if ('dtype' in inner) return { list: inner.dtype };
      if ('struct' in inner) return { list: inner.struct };
      return { list: inner };
    }
    case 'struct':
      return { struct: cardFeatures(field.fields) };
    default:
      return { dtype: VALUE_TYPES[field.type] };
  }
}

/** The `features` list of a config's `dataset_info`: every column in schema order, with its type. */
export function cardFeatures(schema: ParquetSchema): NamedCardFeature[] {
  return Object.entries(schema).map(([name, field]) => ({ name, ...feature(field) }));
}

/**
 * Recall of each redaction rule set as measured on the project's secret corpus when it was
 * released (test/core/redactCorpus.test.ts; README "Performance"). A version not listed has no
 * published measure, and the card says so.
 */
export const MEASURED_RECALL: Readonly<Record<string, string>> = {
  '2': '100% of 477 generated secrets of 40 kinds (no 6-character piece left)',
};

export interface CardInput {
  format: string;
  description: string;
  /** The format's row columns; null: not rows of JSON (no `dataset_info`). */
  schema: ParquetSchema | null;
  configs: Manifest['configs'];
  counts: Manifest['counts'];
  tasks: readonly TaskProvenance[];
  /** Who wrote the lines the exported tasks' commits added, from their replays; undefined: not known (a merge, a validation). */
  authorship?: AuthorCounts;
}

/**
 * Block-style YAML of plain data (objects, arrays, strings, numbers, booleans). Every scalar is
 * written as a JSON string or number, which YAML reads as the same value: no quoting rules to get
 * wrong for a type such as `timestamp[ms, tz=UTC]` or a path.
 */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const body = toYaml(item, `${indent}  `);
        return typeof item === 'object' && item !== null ? `${indent}- ${body.slice(indent.length + 2)}` : `${indent}- ${body.trimStart()}`;
      })
      .join('\n');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, v]) => {
        if (typeof v === 'object' && v !== null && (!Array.isArray(v) || v.length > 0))
          return `${indent}${key}:\n${toYaml(v, Array.isArray(v) ? indent : `${indent}  `)}`;
        return `${indent}${key}: ${Array.isArray(v) ? '[]' : JSON.stringify(v)}`;
      })
      .join('\n');
  }
  return `${indent}${JSON.stringify(value)}`;
}

export function datasetCard(input: CardInput): string {
  const { format, description, schema, configs, counts, tasks, authorship } = input;
  const meta: Record<string, unknown> = {
    configs: configs.map((c, i) => ({ config_name: c.name, ...(i === 0 ? { default: true } : {}), data_files: [{ split: c.split, path: c.files }] })),
    ...(schema ? { dataset_info: configs.map((c) => ({ config_name: c.name, features: cardFeatures(schema) })) } : {}),
    tags: ['code', 'software-engineering', 'trajectories', 'codetrail'],
  };
  return `---
${toYaml(meta)}
---

# Codetrail export: ${format}

${description}

- tasks: ${counts.tasks}
- rows: ${counts.rows}
- events: ${counts.events}

${aboutTheData(tasks)}
${authorship ? whoWrote(authorship) : ''}${schema ? loading(format, schema) : ''}
\`manifest.json\` has the sha256 of every file and, per task, its provenance (repository id, policy
hash, consent time, redaction rules, replay status, approval).
`;
}

const percent = (n: number, of: number) => (of === 0 ? 'n/a' : `${((100 * n) / of).toFixed(1)}%`);

function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([v, n]) => `${v} (${n})`)
      .join(', ') || 'none'
  );
}

/** What the data is, from the tasks' provenance: every number here is counted, none assumed. */
function aboutTheData(tasks: readonly TaskProvenance[]): string {
  const n = tasks.length;
  const exact = tasks.filter((t) => t.replay_status === 'exact').length;
  const approved = tasks.filter((t) => t.approved).length;
  const consented = tasks.filter((t) => t.consent_at !== null).length;
  const policies = new Set(tasks.map((t) => t.policy_hash).filter((h): h is string => h !== null));
  const rules = [...new Set(tasks.map((t) => t.redaction_rules ?? 'not recorded'))].sort();
  const deleted = tasks.reduce((sum, t) => sum + t.deleted_in_review, 0);
  const contributors = new Set(tasks.map((t) => t.contributor)).size;
  const repos = new Set(tasks.map((t) => t.repo)).size;
  const recall = rules.map((r) => `rule set ${r}: ${MEASURED_RECALL[r] ? `measured recall ${MEASURED_RECALL[r]}` : 'no published recall measure'}`);
  return `## What the data is

- tasks: ${n}, from ${contributors} contributor(s) in ${repos} repository(ies) (pseudonymous ids)
- replay verdicts: ${tally(tasks.map((t) => t.replay_status))}; fidelity (tasks whose record rebuilds exactly what was committed): ${exact} of ${n} (${percent(exact, n)})
- approvals: ${approved} of ${n} approved by their engineer in review${approved < n ? ` (${n - approved} exported with \`--include unapproved\`)` : ''}; ${deleted} record(s) deleted in review
- redaction: every text was redacted before it reached disk; rule sets: ${tally(tasks.map((t) => t.redaction_rules ?? 'not recorded'))} (${recall.join('; ')})
- consent basis: recorded only in repositories whose team policy opts in, after the engineer's own consent; consent time recorded for ${consented} of ${n} task(s), under ${policies.size} policy version(s) (by hash)
`;
}

/** What the card says of an author's lines. */
const AUTHOR_WORDS: Record<(typeof AUTHORS)[number], string> = {
  typed: 'typed by the engineer',
  pasted: 'pasted',
  completed: 'accepted from a completion',
  agent: 'written by an agent',
  tool: 'written on disk by a tool or another process',
};

/** The share of the exported commits' added lines each author wrote (replay/authorship.ts). */
function whoWrote(counts: AuthorCounts): string {
  const added = AUTHORS.reduce((n, a) => n + counts[a], 0);
  return `## Who wrote the lines

Of the ${added} line(s) the exported tasks' commits added, by the author of most of each line's characters: ${AUTHORS.map(
    (a) => `${AUTHOR_WORDS[a]} ${counts[a]} (${percent(counts[a], added)})`,
  ).join(', ')}. Each task's own counts are in its commits' \`authored\` (trajectories) or its \`authorship\` column (SWE-bench).
`;
}

function loading(format: string, schema: ParquetSchema): string {
  const json = Object.entries(schema)
    .filter(([, f]) => f.type === 'json' || (f.type === 'list' && f.element.type === 'json'))
    .map(([name]) => `\`${name}\``);
  return `## Loading

\`dataset_info\` pins every column's type, so \`datasets.load_dataset(folder)\` (datasets >= 4.7, which
has the \`Json()\` feature) loads every shard, JSONL or Parquet, with the same types whatever the
first shard holds.${json.length ? ` ${json.join(', ')} ${json.length > 1 ? 'are' : 'is'} \`Json()\`: any JSON value, kept as written (JSON Lines) or stored as a JSON string (Parquet) and decoded by \`datasets\`; other readers (DuckDB, pandas) see that string in Parquet.` : ''}${format === 'trl' ? " Pass the rows to TRL's `SFTTrainer` as they load: no `remove_none_values` is needed." : ''}
`;
}
