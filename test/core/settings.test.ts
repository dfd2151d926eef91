import { strict as assert } from 'node:assert';
import { COMMAND_TITLES, ITEM_COMMANDS, STATEMENT_COMMANDS } from '../../src/ui/commandTable';
import { resolveStorePath, settingsFrom, SETTINGS } from '../../src/core/base/settings';
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
    const items = Object.fromEntries(Object.entries(ITEM_COMMANDS).map(([id, { title }]) => [id, title]));
    assert.deepEqual(declared, { ...COMMAND_TITLES, ...items, ...STATEMENT_COMMANDS });
  });

  it("the Codetrail view's item menus use the short item commands, which the Command Palette never lists", () => {
    const menus = pkg.contributes.menus as Record<string, { command: string; when?: string; group?: string }[]>;
    const itemIds = new Set(Object.keys(ITEM_COMMANDS));
    const contextMenu = menus['view/item/context']!.filter((m) => m.group !== 'inline');
    assert.deepEqual(
      contextMenu.filter((m) => !itemIds.has(m.command)),
      [],
      'a context menu entry with a palette title',
    );
    for (const id of itemIds)
      assert.ok(
        menus.commandPalette!.some((m) => m.command === id && m.when === 'false'),
        `${id} is hidden from the palette`,
      );
    for (const { title } of Object.values(ITEM_COMMANDS)) assert.ok(title.length <= 20, `"${title}" is short`);
  });
});
