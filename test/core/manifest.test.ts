// package.json as the Marketplace and VS Code read it: every user-facing string is a %key% with an
// English entry in package.nls.json, the walkthrough's steps wait for milestones the extension
// sets and show pages that exist, the policy schema is contributed for `.codetrail.json`, the
// packaging metadata vsce needs is there, and the .vsix carries every file the manifest names.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { createVSIX, listFiles, PackageManager } from '@vscode/vsce';
import { POLICY_FILE } from '../../src/core/gate/policy';
import { policySchemaText } from '../../src/core/schema/policy';
import { MILESTONES, milestoneContextKey, WALKTHROUGH_ID } from '../../src/ui/walkthroughSteps';
import { nlsStrings, placeholders, projectRoot, rawManifest } from '../helpers/manifest';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; svg?: string; image?: string; altText?: string };
  completionEvents: string[];
}

const contributes = rawManifest.contributes;
const walkthrough = contributes.walkthroughs[0] as { id: string; title: string; description: string; steps: Step[] };

/** The strings a person reads in VS Code or on the Marketplace, by where they are. */
function userFacingStrings(): [string, unknown][] {
  return [
    ['displayName', rawManifest.displayName],
    ['description', rawManifest.description],
    ['capabilities.untrustedWorkspaces.description', rawManifest.capabilities.untrustedWorkspaces.description],
    ...contributes.commands.map((c: { command: string; title: string }) => [`command ${c.command}`, c.title] as [string, unknown]),
    ['configuration.title', contributes.configuration.title],
    ...Object.entries(contributes.configuration.properties).map(([k, p]) => [`setting ${k}`, (p as { description: string }).description] as [string, unknown]),
    ...contributes.viewsContainers.activitybar.map((v: { id: string; title: string }) => [`view container ${v.id}`, v.title] as [string, unknown]),
    ...Object.values(contributes.views)
      .flat()
      .flatMap((v) => {
        const view = v as { id: string; name: string; contextualTitle?: string };
        return [[`view ${view.id}`, view.name], ...(view.contextualTitle ? [[`view ${view.id} contextualTitle`, view.contextualTitle]] : [])] as [
          string,
          unknown,
        ][];
      }),
    ...contributes.viewsWelcome.map((w: { view: string; contents: string }) => [`viewsWelcome ${w.view}`, w.contents] as [string, unknown]),
    ['walkthrough title', walkthrough.title],
    ['walkthrough description', walkthrough.description],
    ...walkthrough.steps.flatMap(
      (s) =>
        [
          [`step ${s.id} title`, s.title],
          [`step ${s.id} description`, s.description],
        ] as [string, unknown][],
    ),
  ];
}

describe('package.json (the extension manifest)', () => {
  it('every %key% placeholder has an English entry in package.nls.json, and every entry is used', () => {
    const used = placeholders(rawManifest);
    const missing = used.filter((u) => typeof nlsStrings[u.key] !== 'string' || nlsStrings[u.key] === '');
    assert.deepEqual(missing, [], 'add these keys to package.nls.json');
    const unused = Object.keys(nlsStrings).filter((k) => !used.some((u) => u.key === k));
    assert.deepEqual(unused, [], 'package.nls.json has entries nothing uses');
  });

  it('every user-facing string is a %key% placeholder, so a translation is a file away', () => {
    const literal = userFacingStrings().filter(([, value]) => typeof value !== 'string' || !/^%[^%\s]+%$/.test(value));
    assert.deepEqual(literal, [], 'move these strings into package.nls.json and put a %key% in package.json');
  });

  it('the l10n bundle holds exactly the strings the sources pass to vscode.l10n.t (regenerate: npx @vscode/l10n-dev export --outDir ./l10n ./src)', async () => {
    const sources: { extension: string; contents: string }[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) sources.push({ extension: '.ts', contents: readFileSync(path, 'utf8') });
      }
    };
    walk(join(projectRoot, 'src'));
    const expected = await getL10nJson(sources);
    const committed = JSON.parse(readFileSync(join(projectRoot, rawManifest.l10n, 'bundle.l10n.json'), 'utf8'));
    assert.ok(Object.keys(expected).length > 0, 'no vscode.l10n.t call was found');
    assert.deepEqual(committed, expected);
  });

  it('marketplace metadata: repository, icon (a PNG of at least 128 px), gallery banner, homepage and bugs', () => {
    assert.match(rawManifest.repository.url, /^https:\/\//);
    assert.match(rawManifest.homepage, /^https:\/\//);
    assert.match(rawManifest.bugs.url, /^https:\/\//);
    assert.match(rawManifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(rawManifest.galleryBanner.theme));
    const png = readFileSync(join(projectRoot, rawManifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'the icon is at least 128×128');
    assert.ok(!/--allow-missing-repository|--allow-star-activation|--skip-license/.test(rawManifest.scripts.package), 'npm run package needs no opt-out flag');
  });

  it('runs where the files and terminals are: a workspace extension', () => {
    assert.deepEqual(rawManifest.extensionKind, ['workspace']);
  });

  it('contributes the policy schema for .codetrail.json, and that file is the generated schema', () => {
    const [rule, ...others] = contributes.jsonValidation as { fileMatch: string; url: string }[];
    assert.equal(others.length, 0);
    assert.equal(rule!.fileMatch, POLICY_FILE);
    assert.equal(readFileSync(join(projectRoot, rule!.url), 'utf8'), policySchemaText());
  });

  it(`the walkthrough (${WALKTHROUGH_ID}) has one step per milestone, in order, each completing on its context key and showing a page that exists`, () => {
    assert.equal(`${rawManifest.publisher}.${rawManifest.name}#${walkthrough.id}`, WALKTHROUGH_ID);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.completionEvents),
      MILESTONES.map((m) => [`onContext:${milestoneContextKey(m)}`]),
    );
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.svg ?? step.media.image;
      assert.ok(media && existsSync(join(projectRoot, media)), `step ${step.id}: media ${media} is missing`);
      // A step's buttons are command links: each must name a command the extension declares or VS Code has.
      for (const [, command] of (nlsStrings[step.description.slice(1, -1)] ?? '').matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(
          contributes.commands.some((c: { command: string }) => c.command === command),
          `step ${step.id} links to an unknown command ${command}`,
        );
      }
    }
  });

  it('.vscodeignore is an allow-list and the package holds every file the manifest names', async function () {
    // vsce lists every file under the project (node_modules and the test host too) before it
    // applies the ignore file: 20 s were not enough on a loaded 2-core machine.
    this.timeout(60_000);
    const ignore = readFileSync(join(projectRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.equal(ignore[0], '**', 'the first line ignores everything; later lines un-ignore what ships');
    const files = new Set((await listFiles({ cwd: projectRoot, packageManager: PackageManager.None })).map((f) => f.replace(/\\/g, '/')));
    const named = [
      rawManifest.icon,
      // The entry, and the bundles it requires at run time (esbuild.mjs): the recorder, and what works on recorded tasks.
      rawManifest.main.replace(/^\.\//, ''),
      'dist/main.js',
      'dist/tasks.js',
      'package.nls.json',
      `${rawManifest.l10n.replace(/^\.\//, '')}/bundle.l10n.json`,
      ...contributes.jsonValidation.map((j: { url: string }) => j.url.replace(/^\.\//, '')),
      ...walkthrough.steps.map((s) => s.media.markdown ?? s.media.svg ?? s.media.image),
      ...contributes.viewsContainers.activitybar.map((v: { icon: string }) => v.icon),
    ];
    assert.deepEqual(
      named.filter((f) => !files.has(f)),
      [],
      'un-ignore these in .vscodeignore',
    );
    assert.deepEqual(
      [...files].filter((f) => /^(src|test|out|node_modules|bench|scripts|\.vscode-test)\//.test(f)),
      [],
      'sources, tests and caches stay out of the package',
    );
  });

  it('vsce packages it without any opt-out flag (needs the build: npm run build)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'codetrail-vsix-'));
    const log = console.log;
    const info = console.info;
    try {
      // vsce reports its progress on the console; the test only needs the outcome.
      console.log = console.info = () => undefined;
      await createVSIX({ cwd: projectRoot, packagePath: join(dir, 'codetrail.vsix'), dependencies: false });
    } finally {
      console.log = log;
      console.info = info;
    }
    assert.ok(statSync(join(dir, 'codetrail.vsix')).size > 10_000);
    rmSync(dir, { recursive: true, force: true });
  });
});
