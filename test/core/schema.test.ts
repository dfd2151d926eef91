import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { eventSchemaText } from '../../src/core/schema/document';
import { EVENT_KINDS } from '../../src/core/schema/events';
import { parseRecordLine } from '../../src/core/schema/validate';
import { editRecord } from '../helpers/records';

const root = join(__dirname, '../../..');
const publishedText = readFileSync(join(root, 'schema/event.v1.schema.json'), 'utf8');

describe('event schema v1', () => {
  it('the published JSON Schema file is exactly what the TypeScript definitions generate (run `npm run schema` after changing them)', () => {
    assert.equal(publishedText, eventSchemaText());
  });

  it('a standard JSON Schema validator accepts a record the recorder writes and rejects broken ones', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(publishedText));
    const good = editRecord('src/a.ts', 'x');
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...good, kind: 'nonsense' }), false);
    assert.equal(validate({ ...good, repo: 'alice@example.com' }), false, 'repository ids are pseudonymous');
    assert.equal(validate({ ...good, data: { ...good.data, file: '/etc/passwd' } }), false, 'paths are repository-relative');
    assert.equal(validate({ ...good, data: { ...good.data, file: 'src/../../etc/passwd' } }), false, 'paths cannot escape the repository');
    assert.equal(validate({ ...good, extra: 1 }), false, 'no unknown envelope fields');
  });

  it('the published schema lists every kind the types know', () => {
    const published = JSON.parse(publishedText) as { anyOf: { properties: { kind: { const: string } } }[] };
    assert.deepEqual(published.anyOf.map((s) => s.properties.kind.const).sort(), [...EVENT_KINDS].sort());
  });

  it('the reader checks each line and says what is wrong', () => {
    const good = editRecord('a.txt', 'hi');
    assert.equal(parseRecordLine(JSON.stringify(good)).ok, true);
    const cases: [string, RegExp][] = [
      ['{"v":1,', /invalid JSON/],
      ['[1,2]', /not a JSON object/],
      [JSON.stringify({ ...good, v: 2 }), /unsupported schema version 2/],
      [JSON.stringify({ ...good, kind: 'keystroke' }), /unknown event kind "keystroke"/],
      [JSON.stringify({ ...good, ts: -5 }), /\/ts/],
      [JSON.stringify({ ...good, id: 'not-a-ulid' }), /\/id/],
    ];
    for (const [line, message] of cases) {
      const parsed = parseRecordLine(line);
      assert.equal(parsed.ok, false, line);
      if (!parsed.ok) assert.match(parsed.error, message);
    }
  });
});
