import { strict as assert } from 'node:assert';
import { COMMAND_TITLES } from '../../src/ui/commandTable';
import { resolveStorePath, settingsFrom, SETTINGS } from '../../src/core/settings';
import { manifest as pkg } from '../helpers/manifest';

describe('settings', () => {
  it('package.json declares exactly the settings core knows, with the same type, default and scope', () => {
    const declared = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    const expected = Object.fromEntries(Object.entries(SETTINGS).map(([name, spec]) => [`codetrail.${name}`, spec]));
    assert.deepEqual(declared, expected);
  });

  it('the store location can only be set per machine, never by a workspace', () => {
    assert.equal(pkg.contributes.configuration.properties['codetrail.storePath'].scope, 'machine');
  });

  it('cleans hand-edited values', () => {
    const raw: Record<string, unknown> = { storePath: 42, flushIntervalMs: 5 };
    const s = settingsFrom((name) => raw[name]);
    assert.deepEqual(s, { storePath: '', flushIntervalMs: 100, idleMinutes: 30, retentionDays: 0 });
  });

  it('CODETRAIL_STORE overrides the setting, which overrides the default', () => {
    const settings = { storePath: '/from/setting', flushIntervalMs: 1000, idleMinutes: 30, retentionDays: 0 };
    assert.equal(resolveStorePath({ CODETRAIL_STORE: '/from/env' }, settings, '/default'), '/from/env');
    assert.equal(resolveStorePath({}, settings, '/default'), '/from/setting');
    assert.equal(resolveStorePath({ CODETRAIL_STORE: ' ' }, { ...settings, storePath: '' }, '/default'), '/default');
  });

  it('package.json declares every command of the command table with its title, and no other', () => {
    const declared = Object.fromEntries((pkg.contributes.commands as { command: string; title: string }[]).map((c) => [c.command, c.title]));
    assert.deepEqual(declared, COMMAND_TITLES);
  });
});
