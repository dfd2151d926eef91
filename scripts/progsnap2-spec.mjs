// Rebuilds test/fixtures/progsnap2/spec.json from the ProgSnap2 toolbox's machine-readable spec
// (CSSPLICE/ProgSnapToolbox, src/spec/versions/progsnap2-v<version>.yaml). Only the facts a
// validator needs are kept (names, requirements, datatypes, vocabularies, defaults): the
// repository states no licence, so its prose descriptions are not copied.
//   git --git-dir=<mirror> show <commit>:src/spec/versions/progsnap2-v1.0.yaml > spec.yaml
//   node scripts/progsnap2-spec.mjs spec.yaml <commit> > test/fixtures/progsnap2/spec.json
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const [path, commit] = process.argv.slice(2);
if (!path || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
  process.stderr.write('usage: node scripts/progsnap2-spec.mjs SPEC.yaml COMMIT\n');
  process.exit(2);
}
const bytes = readFileSync(path);
const spec = parse(bytes.toString('utf8'));
const gitBlob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

const fixture = {
  source: {
    repository: 'https://github.com/CSSPLICE/ProgSnapToolbox',
    path: `src/spec/versions/progsnap2-v${spec.version}.yaml`,
    commit,
    git_blob: gitBlob,
    licence: 'none stated (no LICENSE file, none in pyproject.toml): only names, requirements, datatypes and vocabularies are kept here, not the descriptions',
  },
  version: String(spec.version),
  enum_types: Object.fromEntries(spec.enum_types.map((e) => [e.name, e.values.map((v) => v.name)])),
  metadata: spec.metadata.properties.map((p) => ({ name: p.name, datatype: p.datatype, default: p.default_value ?? null })),
  columns: spec.main_table.columns.map((c) => ({ name: c.name, requirement: c.requirement, datatype: c.datatype })),
  event_types: spec.main_table.event_types.map((t) => ({ name: t.name, required: t.required_columns ?? [], optional: t.optional_columns ?? [] })),
};
process.stdout.write(JSON.stringify(fixture, null, 2) + '\n');
