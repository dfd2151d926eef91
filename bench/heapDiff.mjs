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

/** A snapshot's graph: nodes and edges as V8 writes them, with accessors. */
function graphOf(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = snap.snapshot.meta;
  const N = nf.length;
  const E = ef.length;
  const { nodes, edges, strings } = snap;
  const count = nodes.length / N;
  const types = nt[nf.indexOf('type')];
  const edgeTypes = et[ef.indexOf('type')];
  const [T, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f));
  const first = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    first[i] = e;
    e += nodes[i * N + EDGES] * E;
  }
  first[count] = edges.length;
  const byIndex = new Set(['element', 'hidden']);
  return {
    count,
    type: (i) => types[nodes[i * N + T]],
    name: (i) => strings[nodes[i * N + NAME]],
    size: (i) => nodes[i * N + SIZE],
    /** [edge type, edge name, target node] of each edge of node i. */
    *edges(i) {
      for (let e = first[i]; e < first[i + 1]; e += E) {
        const t = edgeTypes[edges[e]];
        yield [t, byIndex.has(t) ? edges[e + 1] : strings[edges[e + 1]], edges[e + 2] / N];
      }
    },
  };
}

/** Every script's URL and the size of its source string. */
function scriptsOf(g) {
  const scripts = new Map();
  for (let i = 0; i < g.count; i++)
    if (g.type(i) === 'code') for (const [, name, to] of g.edges(i)) if (name === 'source') scripts.set(i, { url: g.name(i), sourceBytes: g.size(to) });
  return scripts;
}

/** Source bytes per script URL (temporary folders in it made equal across runs). */
export function scriptSources(path) {
  const out = new Map();
  for (const { url, sourceBytes } of scriptsOf(graphOf(path)).values()) {
    const key = url.replace(/codetrail-bench-host-\w+/, 'tmp');
    out.set(key, (out.get(key) ?? 0) + sourceBytes);
  }
  return out;
}

/**
 * What one script costs the heap: its source, and what its functions (their compiled code,
 * closures, contexts) and the instances of the classes it defines hold that nothing else does.
 * Computed as in a retained-size view: remove those from the graph, and whatever the GC roots
 * then no longer reach, but they do, is the script's.
 */
export function scriptHeap(path, urlSuffix, top = 12) {
  const g = graphOf(path);
  const scripts = new Set([...scriptsOf(g)].filter(([, s]) => s.url.endsWith(urlSuffix)).map(([i]) => i));
  const ours = new Set(scripts);
  const functions = new Set();
  for (let i = 0; i < g.count; i++)
    if (g.type(i) === 'code')
      for (const [, name, to] of g.edges(i))
        if ((name === 'script' || name === 'script_or_debug_info') && scripts.has(to)) {
          functions.add(i);
          ours.add(i);
          break;
        }
  const closures = new Set();
  for (let i = 0; i < g.count; i++)
    if (g.type(i) === 'closure')
      for (const [, name, to] of g.edges(i))
        if (name === 'shared' && functions.has(to)) {
          closures.add(i);
          ours.add(i);
          break;
        }
  const maps = new Set();
  for (let i = 0; i < g.count; i++) for (const [, name, to] of g.edges(i)) if (name === 'constructor' && closures.has(to)) maps.add(i);
  for (let i = 0; i < g.count; i++)
    if (g.type(i) === 'object')
      for (const [, name, to] of g.edges(i))
        if (name === 'map' && maps.has(to)) {
          ours.add(i);
          break;
        }
  const reach = (starts, without) => {
    const seen = new Uint8Array(g.count);
    const stack = [...starts];
    for (const i of starts) seen[i] = 1;
    while (stack.length) {
      const i = stack.pop();
      for (const [t, , to] of g.edges(i))
        if (t !== 'weak' && !seen[to] && !without.has(to)) {
          seen[to] = 1;
          stack.push(to);
        }
    }
    return seen;
  };
  const fromRoots = reach([0], ours);
  const fromOurs = reach([...ours], new Set());
  const groups = new Map();
  let retained = 0;
  for (let i = 0; i < g.count; i++)
    if (fromOurs[i] && !fromRoots[i] && !scripts.has(i)) {
      const type = g.type(i);
      const key = ['string', 'concatenated string', 'sliced string', 'number'].includes(type) ? type : `${type}:${String(g.name(i)).slice(0, 40)}`;
      groups.set(key, (groups.get(key) ?? 0) + g.size(i));
      retained += g.size(i);
    }
  // The source is counted whoever else holds it (V8's compilation cache may): it is there for this script.
  let sourceBytes = 0;
  for (const i of scripts) for (const [, name, to] of g.edges(i)) if (name === 'source') sourceBytes += g.size(to);
  const sourceRetained = [...scripts].some((i) => [...g.edges(i)].some(([, name, to]) => name === 'source' && fromOurs[to] && !fromRoots[to]));
  return {
    sourceBytes,
    // Without the source: it is reported on its own.
    retainedBytes: retained - (sourceRetained ? sourceBytes : 0),
    functions: functions.size,
    closures: closures.size,
    top: [...groups].sort((a, b) => b[1] - a[1]).slice(0, top),
  };
}
