// Bundles the extension and the CLI. Type checking runs apart (`npm run typecheck`).
// The CLI is bundled without `vscode` as an external, so a stray `vscode` import reachable from
// src/core or src/cli breaks this build.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';

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

const builds = [
  // Activation loads only the small entry; the recorder is its own bundle, required right after.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'] },
  { ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main.js', external: [...common.external, 'vscode'] },
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
// text is ASCII and two when it is not: one `•` would double the recorder's 0.5 MB of source in the
// extension host. esbuild escapes non-ASCII characters in strings but not in regular expression
// literals, so those are written with \u escapes in src/, and this check keeps them that way (in
// the minified bundles: the others keep comments, which may hold any character).
function assertAscii(file) {
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at !== -1)
    throw new Error(
      `${file}: a non-ASCII character at offset ${at} (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}); write it as a \\u escape in the source`,
    );
}

copyMedia();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
  for (const b of builds) if (b.platform === 'node' && b.minify) assertAscii(b.outfile);
}
