// TRL rows rendered as a trainer renders them: every row of a real export, from its JSON Lines and
// from its Parquet shards (read back with hyparquet and decoded as the dataset card's features tell
// `datasets` to), through real chat templates with @huggingface/jinja. No template may fail, the
// two sources must render the same text, and every call's arguments must appear exactly once as a
// JSON object (not as a JSON string inside a string, not missing).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { exportStore } from '../../src/core/export/exporter';
import { writeParquetShards } from '../../src/core/export/parquetShards';
import { extraTemplates } from '../helpers/chatTemplates';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';
import { jsonlRows, OBJECT_TEMPLATES, parquetRows, render, renderEveryRow, STRING_TEMPLATES, type Row } from '../helpers/trlRender';

describe('trl: rows render through real chat templates, from JSON Lines and from Parquet', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  async function exportTrl(arguments_: 'object' | 'string'): Promise<{ jsonl: Row[]; parquet: Row[] }> {
    const store = join(tmp(), 'store');
    const session = captureSession(store);
    await recordRangeTask(session);
    await recordRangeTask(session);
    await recordRangeTask(session, { approve: false });
    await session.dispose();
    const out = join(tmp(), `out-${arguments_}`);
    const summary = await exportStore({
      store,
      out,
      format: 'trl',
      version: 'test',
      includeUnapproved: true,
      rowsPerShard: 2,
      formatOptions: { trlArguments: arguments_ },
      parquet: (_config, files) => writeParquetShards('trl', files),
    });
    assert.equal(summary.rows, 3);
    const jsonl = await jsonlRows(join(out, 'data', 'trl'));
    const parquet = await parquetRows(out, 'trl_parquet');
    assert.deepEqual(parquet, jsonl, 'Parquet rows decoded by the card are the JSON Lines rows');
    return { jsonl, parquet };
  }

  it(`object arguments (the default) through ${OBJECT_TEMPLATES.length} templates${extraTemplates().length ? ` and ${extraTemplates().length} from CODETRAIL_CHAT_TEMPLATES` : ''}`, async () => {
    const rows = await exportTrl('object');
    const templates = [...OBJECT_TEMPLATES, ...extraTemplates().filter((t) => !/deepseek/i.test(t.name))];
    assert.equal(renderEveryRow(templates, rows), templates.length * 3);
  });

  it('string arguments (--trl-arguments string) through DeepSeek-V3.1, whose template concatenates them', async () => {
    const rows = await exportTrl('string');
    const templates = [...STRING_TEMPLATES, ...extraTemplates().filter((t) => /deepseek/i.test(t.name))];
    assert.equal(renderEveryRow(templates, rows), templates.length * 3);
  });

  it('the object form is what breaks DeepSeek-V3.1: the reason the string form exists', async () => {
    const { jsonl } = await exportTrl('object');
    assert.match(render(STRING_TEMPLATES[0]!, jsonl[0]!), /\[object /);
  });
});
