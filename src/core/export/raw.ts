// The raw format: the task's records as stored, each checked against the published schema.
import { CodetrailError } from '../base/errors';
import { checkRecord } from '../schema/validate';
import { jsonlFormat } from './format';
import { pq } from './parquet';

export const rawFormat = jsonlFormat({
  split: 'train',
  description: 'Codetrail events, one JSON object per line, as in the published event schema (event.v1.schema.json).',
  schema: {
    v: pq.int64(),
    id: pq.string(),
    ts: pq.int64(),
    session: pq.string(),
    task: pq.string(),
    repo: pq.string(),
    contributor: pq.string(),
    kind: pq.string(),
    origin: pq.string(),
    data: pq.json(),
  },
  mergeKey: 'event',
  trajectory: false,
  *rows({ taskId, events }) {
    for (const e of events) {
      const checked = checkRecord(e);
      if (!checked.ok) throw new CodetrailError('store-corrupt', `event ${e.id} of task ${taskId} does not match the schema: ${checked.error}`);
      yield e;
    }
  },
});
