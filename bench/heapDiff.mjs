// What grew between two V8 heap snapshots, as the Comparison view of Chrome's DevTools shows it:
// objects grouped by constructor (or by type for strings, arrays, code...), with the change in
// their count and self size. A snapshot is JSON: a flat `nodes` array whose fields
// `snapshot.meta.node_fields` name, and a `strings` table the names index into.
import { readFileSync } from 'node:fs';

/** Count and self size per group (`type:name`) of one snapshot. */
export function summarize(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[fields.indexOf('type')];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map();
  const { nodes, strings } = snap;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    // Strings, code and arrays are named by their content or by V8's internals: one group each.
    const name = type === 'object' || type === 'closure' || type === 'native' ? strings[nodes[i + nameAt]] : '';
    const key = name ? `${type}:${name}` : type;
    const g = groups.get(key) ?? { count: 0, size: 0 };
    g.count += 1;
    g.size += nodes[i + sizeAt];
    groups.set(key, g);
  }
  return groups;
}

/** The groups whose self size grew most from `before` to `after` (bytes and counts). */
export function growth(before, after, top = 10) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .map((key) => {
      const a = before.get(key) ?? { count: 0, size: 0 };
      const b = after.get(key) ?? { count: 0, size: 0 };
      return { group: key, countDelta: b.count - a.count, sizeDelta: b.size - a.size };
    })
    .sort((x, y) => y.sizeDelta - x.sizeDelta)
    .slice(0, top);
}
