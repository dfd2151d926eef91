// Bundles the extension and the CLI. Type checking runs apart (`npm run typecheck`).
// The CLI is bundled without `vscode` as an external, so a stray `vscode` import reachable from
// src/core or src/cli breaks this build.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { escapeNonAscii } from './scripts/asciiEscape.cjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  // --readable: the production bundle unminified, for profiles whose positions a person reads.
  minify: production && !process.argv.includes('--readable'),
  logLevel: 'warning',
  // simple-git pulls in `debug`, which probes for the optional `supports-color` at run time.
  external: ['supports-color'],
  // jsonc-parser's default (UMD) build requires its parts at run time, which a bundle cannot follow.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

// Each `import * as vscode from 'vscode'` of an external CommonJS module is compiled to a copy of
// the whole API object, one getter closure per property (about 300), per importing file: 16 files
// made 4,900 closures, 0.5 MB of the extension host's heap. Through one ES module that re-exports
// `vscode`, every file shares a single copy.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    // `import x = require('vscode')` (the capture path) compiles to a plain require: left as it is.
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' || args.kind === 'require-call' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

// What works on recorded tasks (review, the task index, export) is dist/tasks.js, which main.js
// requires on first use (src/ui/loadTasks.ts). The modules both need are not loaded twice: main.js
// exports them by path (`sharedModules`) and tasks.js takes them from there, so an error class,
// git's gateways or a cache has one instance, and the code is in the host once.
const tasksEntry = 'src/ui/tasks.ts';
const mainBuild = { ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main.js', plugins: [vscodeOnce] };
const tasksBuild = { ...common, entryPoints: [tasksEntry], outfile: 'dist/tasks.js', external: [...common.external, 'vscode'] };

/**
 * Source files of main.js that modules of tasks.js alone import. Only those main.js already holds
 * (with what they import) at least half of: sharing a module keeps all of it in main.js, so one of
 * which main.js uses a constant would bring its imports (a schema compiler) to the recorder; a
 * module without state can as well be bundled twice.
 */
async function modulesToShare() {
  const bytes = async (b) => {
    const { metafile } = await esbuild.build({ ...b, write: false, metafile: true, sourcemap: false, minify: false });
    const sizes = Object.values(metafile.outputs)[0].inputs;
    return { imports: metafile.inputs, size: (file) => sizes[file]?.bytesInOutput ?? 0 };
  };
  const [main, tasks] = await Promise.all([bytes(mainBuild), bytes(tasksBuild)]);
  const held = new Map();
  const inMain = (file) => {
    if (!held.has(file)) {
      held.set(file, true); // an import cycle does not count against itself
      held.set(
        file,
        main.size(file) >= tasks.size(file) / 2 && tasks.imports[file].imports.every((i) => i.external || !i.path.startsWith('src/') || inMain(i.path)),
      );
    }
    return held.get(file);
  };
  const shared = new Set();
  for (const [file, { imports }] of Object.entries(tasks.imports))
    if (!(file in main.imports)) for (const { path } of imports) if (path.startsWith('src/') && path in main.imports && inMain(path)) shared.add(path);
  return [...shared].sort();
}

function sharingBuilds(shared) {
  const index = new Map(shared.map((file) => [resolve(file), file]));
  const main = {
    ...mainBuild,
    entryPoints: undefined,
    stdin: {
      sourcefile: 'main-with-shared.ts',
      resolveDir: process.cwd(),
      loader: 'ts',
      contents: [
        "export * from './src/main';",
        ...shared.map((file, i) => `import * as m${i} from './${file}';`),
        `export const sharedModules = { ${shared.map((file, i) => `${JSON.stringify(file)}: m${i}`).join(', ')} };`,
      ].join('\n'),
    },
  };
  const takeFromMain = {
    name: 'take-from-main',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.pluginData === 'inner') return undefined;
        const found = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
        const file = index.get(found.path);
        return file ? { path: file, namespace: 'main' } : found;
      });
      build.onLoad({ filter: /.*/, namespace: 'main' }, (args) => ({
        contents: `module.exports = require(require('node:path').join(__dirname, 'main.js')).sharedModules[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
  return [main, { ...tasksBuild, plugins: [takeFromMain, vscodeOnce] }];
}

const builds = [
  // Activation loads only the small entry; the recorder is its own bundle, required right after.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [vscodeOnce] },
  ...sharingBuilds(await modulesToShare()),
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { CODETRAIL_VERSION: JSON.stringify(pkg.version) },
    // DuckDB (`merge --engine duckdb`) is an optional dependency of the command line, loaded from
    // node_modules at run time: a native binary, never bundled, never in the extension.
    external: [...common.external, '@duckdb/node-api'],
  },
  // `export --jobs N`'s worker threads: the command line starts them from the file beside it.
  { ...common, entryPoints: ['src/core/export/exportWorker.ts'], outfile: 'dist/exportWorker.js' },
  // The review page runs in a webview: a browser bundle, no Node.
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/review.ts'], outfile: 'dist/media/review.js' },
];

// Static assets of the webview: its stylesheet and icon, and the codicon font VS Code's own views use.
function copyMedia() {
  mkdirSync('dist/media', { recursive: true });
  for (const [from, to] of [
    ['media/review.css', 'review.css'],
    ['media/codetrail.svg', 'codetrail.svg'],
    ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
  ])
    copyFileSync(from, `dist/media/${to}`);
}

// V8 keeps a script's source for as long as its functions live, as one byte a character when the
// text is ASCII and two when it is not: one `•` would double the recorder's source in the extension
// host (0.5 MB more). esbuild escapes non-ASCII characters in strings and templates but not in
// regular expression literals, so the minified bundles' remaining ones are escaped here
// (scripts/asciiEscape.cjs). Bundles with source maps are left as they are: their columns would shift.
function escapeBundle(file) {
  const text = readFileSync(file, 'utf8');
  if (/[^\x00-\x7f]/.test(text)) writeFileSync(file, escapeNonAscii(text));
}

copyMedia();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
  for (const b of builds) if (b.platform === 'node' && b.minify) escapeBundle(b.outfile);
}
