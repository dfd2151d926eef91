// The raw format: the task's records as stored. Each was checked against the published schema as
// it was read (store/segmentReader.ts keeps no record that fails), so it is not checked again here.
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
  rows: ({ events }) => events,
});
