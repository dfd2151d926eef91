// Entry point VS Code loads in the extension host (extensionTestsPath). It runs one suite folder,
// chosen by the scenario that started this host (CODETRAIL_HOST_SUITE).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const suite = process.env.CODETRAIL_HOST_SUITE;
  if (!suite) return Promise.reject(new Error('CODETRAIL_HOST_SUITE is not set: run the host tests through scripts/host/run-tests.mjs'));
  // A scenario's tests are the steps of one story: after a failure the later ones would only act on
  // a broken state (and a timed-out step keeps typing into the next), so the suite stops there.
  // The time limit only names a step that hangs; every wait inside is for an event. Two suites
  // running side by side on 2 cores made a 17-key typing step take over a minute.
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, bail: true, color: false, reporter: 'spec' });
  const dir = join(__dirname, suite);
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.test.js')) mocha.addFile(join(dir, name));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // A plain count line that the host runner adds up over scenarios.
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`[codetrail-host-result] ${suite}: ${passes} passed, ${failures} failed, ${pending} skipped`);
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
  });
}
