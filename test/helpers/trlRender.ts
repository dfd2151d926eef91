// Rendering exported TRL rows as a trainer does: the rows from JSON Lines, and from Parquet decoded
// as the dataset card's features tell `datasets` to (`Json()` values parsed from their JSON text),
// through real chat templates with @huggingface/jinja. Shared by the unit test and the host test.
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { parquetReadObjects } from 'hyparquet';
import { parse as parseYaml } from 'yaml';
import type { NamedCardFeature } from '../../src/core/export/card';
import { ollamaTemplate, type ChatTemplate } from './chatTemplates';

/** Templates that take `arguments` as a mapping, as transformers documents; one per model family asked for, and more. */
export const OBJECT_TEMPLATES: ChatTemplate[] = [
  ollamaTemplate('Qwen2.5', 'library/qwen2.5:0.5b'),
  ollamaTemplate('Qwen3', 'library/qwen3:0.6b'),
  ollamaTemplate('Qwen3-Next', 'library/qwen3-next:80b'),
  ollamaTemplate('Llama 3.1', 'library/llama3.1:8b'),
  ollamaTemplate('Llama 3.2', 'library/llama3.2:3b'),
  ollamaTemplate('Llama 4', 'library/llama4:latest'),
  ollamaTemplate('Granite 4', 'library/granite4:latest'),
  ollamaTemplate('Nemotron 70B (Llama 3.1)', 'library/nemotron:70b'),
  ollamaTemplate('QwQ', 'library/qwq:32b'),
];

/** DeepSeek-V3.x templates concatenate `arguments` as text: they take the `--trl-arguments string` form. */
export const STRING_TEMPLATES: ChatTemplate[] = [ollamaTemplate('DeepSeek-V3.1', 'library/deepseek-v3.1:latest')];

export type Row = { messages: Message[]; tools: object[]; task_id: string };
type Message = { role: string; content: string; tool_calls?: { id: string; function: { name: string; arguments: unknown } }[] };

export async function jsonlRows(dir: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) if (line) rows.push(JSON.parse(line) as Row);
  }
  return rows;
}

/** A value as `datasets` decodes it under the card's feature: `Json()` values are parsed from their JSON text. */
type Feature = { dtype?: string; list?: string | Feature | NamedCardFeature[]; struct?: NamedCardFeature[] };
function decode(feature: Feature, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (feature.dtype) return feature.dtype === 'json' ? JSON.parse(value as string) : value;
  if (feature.list) {
    const element: Feature = typeof feature.list === 'string' ? { dtype: feature.list } : Array.isArray(feature.list) ? { struct: feature.list } : feature.list;
    return (value as unknown[]).map((v) => decode(element, v));
  }
  return Object.fromEntries((feature.struct ?? []).map(({ name, ...f }) => [name, decode(f as Feature, (value as Record<string, unknown>)[name])]));
}

export async function parquetRows(out: string, config: string): Promise<Row[]> {
  const card = parseYaml((await readFile(join(out, 'README.md'), 'utf8')).split('---')[1]!) as {
    dataset_info: { config_name: string; features: NamedCardFeature[] }[];
  };
  const features = card.dataset_info.find((c) => c.config_name === config)!.features;
  const dir = join(out, 'data', 'trl');
  const rows: Row[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.parquet')).sort()) {
    const bytes = await readFile(join(dir, f));
    for (const raw of await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })) {
      rows.push(Object.fromEntries(features.map(({ name, ...feature }) => [name, decode(feature as Feature, (raw as Record<string, unknown>)[name])])) as Row);
    }
  }
  return rows;
}

export function render(template: ChatTemplate, row: Row): string {
  return new Template(template.text).render({ messages: row.messages, tools: row.tools, bos_token: '<s>', eos_token: '</s>', add_generation_prompt: false });
}

/** How the template's own `tojson` writes a value: the text a model is trained on for an argument object. */
const tojson = (value: unknown) => new Template('{{ value | tojson }}').render({ value });

export function assertArgumentsOnce(template: ChatTemplate, row: Row, text: string): void {
  const args = row.messages
    .flatMap((m) => m.tool_calls ?? [])
    .map((c) =>
      typeof c.function.arguments === 'string'
        ? (JSON.parse(c.function.arguments) as Record<string, unknown>)
        : (c.function.arguments as Record<string, unknown>),
    );
  assert.ok(args.length > 0, 'the row has tool calls');
  assert.doesNotMatch(text, /\[object /, `${template.name}: an object rendered as text`);
  for (const a of args) {
    for (const form of [tojson(a), JSON.stringify(a)])
      assert.ok(!text.includes(JSON.stringify(form).slice(1, -1)), `${template.name}: arguments encoded twice`);
  }
  // Templates that write a call key by key (GLM-4-MoE, Qwen3.5, LFM2.5: `arguments|items`) show no JSON object.
  if (!args.some((a) => text.includes(tojson(a)) || text.includes(JSON.stringify(a)))) {
    for (const a of args)
      for (const v of Object.values(a))
        if (typeof v === 'string') assert.ok(text.includes(v), `${template.name}: argument value ${JSON.stringify(v).slice(0, 60)} is missing`);
    return;
  }
  // Calls with the same arguments (the same test command run twice) share one expected text.
  const expected = new Map<string, number>();
  for (const a of args) {
    const forms = [tojson(a), JSON.stringify(a)].filter((form) => text.includes(form));
    assert.equal(forms.length > 0, true, `${template.name}: arguments ${JSON.stringify(a).slice(0, 80)} do not appear as a JSON object`);
    assert.deepEqual(JSON.parse(forms[0]!), a, 'the text is the arguments object');
    expected.set(forms[0]!, (expected.get(forms[0]!) ?? 0) + 1);
  }
  for (const [form, calls] of expected) assert.equal(text.split(form).length - 1, calls, `${template.name}: ${form.slice(0, 80)} appears once per call`);
}

/**
 * Renders every row through every template, from both sources; returns how many renders were
 * checked. Throws naming the template and row that fails.
 */
export function renderEveryRow(templates: ChatTemplate[], rows: { jsonl: Row[]; parquet: Row[] }): number {
  let rendered = 0;
  for (const template of templates) {
    for (const [i, row] of rows.jsonl.entries()) {
      let text: string;
      try {
        text = render(template, row);
      } catch (err) {
        throw new Error(`${template.name} (${template.source}) fails on row ${i}: ${(err as Error).message}`);
      }
      assert.equal(render(template, rows.parquet[i]!), text, `${template.name}: Parquet renders as JSON Lines`);
      assertArgumentsOnce(template, row, text);
      rendered += 1;
    }
  }
  return rendered;
}
