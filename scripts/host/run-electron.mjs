// The same host test scenarios in desktop VS Code, for people who have it and internet access:
// @vscode/test-electron downloads VS Code, or uses VSCODE_EXECUTABLE when set. CI and offline
// machines use run-tests.mjs (code-server) instead. Usage: node scripts/host/run-electron.mjs [filter]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const { scenarios } = await import(pathToFileURL(join(root, 'test/host/scenarios.mjs')).href);
const tmpRoot = mkdtempSync(join(tmpdir(), 'codetrail-electron-'));
let failed = 0;
try {
  for (const scenario of (await scenarios(tmpRoot)).filter((s) => !process.argv[2] || s.name.includes(process.argv[2]))) {
    try {
      await runTests({
        ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'out/test/host/index.js'),
        extensionTestsEnv: scenario.env,
        launchArgs: [
          scenario.workspace,
          '--user-data-dir',
          join(tmpRoot, `${scenario.name}-user`),
          ...(scenario.trust === false ? [] : ['--disable-workspace-trust']),
        ],
      });
    } catch (err) {
      failed += 1;
      process.stderr.write(`scenario ${scenario.name} failed: ${err}\n`);
    }
  }
} finally {
  rmSync(tmpRoot, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
