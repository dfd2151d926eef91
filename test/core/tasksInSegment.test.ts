import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { tasksInSegment } from '../../src/core/store/taskStream';
import { useTempDir } from '../helpers/tmp';

/** What planning must find: the `task` of every line that parses as a JSON object (the tasks of its valid records are among them). */
function parsedTasks(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      const task = typeof value === 'object' && value !== null ? (value as { task?: unknown }).task : undefined;
      if (typeof task === 'string') out.add(task);
    } catch {
      // not JSON: no record, no task
    }
  }
  return out;
}

describe('tasksInSegment (planning without parsing)', () => {
  const tmp = useTempDir();

  async function tasksOf(lines: string[]): Promise<Set<string>> {
    const path = join(tmp(), 'seg.jsonl');
    await writeFile(path, lines.map((l) => l + '\n').join(''));
    return tasksInSegment(path);
  }

  it('finds the task however its member is written: spaced, escaped name, escaped value, after a nested one', async () => {
    const lines = [
      '{"id":"1","task":"plain"}',
      '{"id":"2", "task" : "spaced"}',
      '{"id":"3","t\\u0061sk":"escaped-name"}',
      '{"id":"4","task":"quote\\"inside"}',
      '{"id":"5","data":{"task":null,"text":"\\"task\\":\\"not-a-task\\""},"task":"after-nested"}',
      '{"id":"6","task":"a\\\\"}',
      '{"id":"7","task":null}',
      'not json "task":"torn',
    ];
    const found = await tasksOf(lines);
    for (const task of parsedTasks(lines)) assert.ok(found.has(task), `missed ${task}`);
    assert.ok(!found.has('not-a-task'), 'text inside a string is not a member');
  });

  it('finds the tasks of lines that cross the chunks a segment is read in, plain and gzipped, and of a line with a \\u escape among them', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: String(i), data: { text: 'x'.repeat(i % 97) }, task: `t${i}` }));
    lines[1500] = '{"id":"1500","t\\u0061sk":"t1500"}';
    const expected = parsedTasks(lines);
    assert.equal(expected.size, 3000);
    assert.deepEqual(await tasksOf(lines), expected);
    const gz = join(tmp(), 'seg.jsonl.gz');
    await writeFile(gz, gzipSync(lines.map((l) => l + '\n').join('')));
    assert.deepEqual(await tasksInSegment(gz), expected);
  });

  it('finds every task JSON.parse finds, for any record shape', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const record = fc.record({
      id: text,
      task: fc.option(text),
      data: fc.dictionary(fc.constantFrom('task', 'text', 'file'), fc.oneof(text, fc.constant(null))),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 6 }), fc.boolean(), async (records, spaced) => {
        const lines = records.map((r) => JSON.stringify(r, null, spaced ? 1 : undefined).replace(/\n/g, ' '));
        const found = await tasksOf(lines);
        for (const task of parsedTasks(lines)) assert.ok(found.has(task), `missed ${JSON.stringify(task)}`);
      }),
      { numRuns: 150 },
    );
  });
});
