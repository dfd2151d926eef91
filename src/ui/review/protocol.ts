// Messages between the review panel's webview and the extension. The webview is a page that
// renders store content, so everything it sends is checked against these schemas before the
// extension acts on it; what the extension sends is typed for the webview's code.
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FileAtStep, ReviewHeader, StepDetail, StepSummary, Timeline } from '../../core/review/reviewModel';
import { STEP_CATEGORIES } from '../../core/review/reviewModel';
import { MAX_WORD_LENGTH } from '../../core/review/wordRedaction';

const Index = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const Category = Type.Union(STEP_CATEGORIES.map((c) => Type.Literal(c)));

export const FromWebview = Type.Union([
  Type.Object({ type: Type.Literal('ready') }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('page'),
      offset: Index,
      limit: Type.Integer({ minimum: 1, maximum: 1000 }),
      categories: Type.Array(Category, { maxItems: STEP_CATEGORIES.length }),
      file: Type.String({ maxLength: 4096 }),
      text: Type.String({ maxLength: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('detail'), index: Index }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('fileAt'), index: Index, file: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('redact'), word: Type.String({ minLength: 1, maxLength: MAX_WORD_LENGTH }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('deleteSteps'), indices: Type.Array(Index, { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('approve'), approved: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('deleteTask') }, { additionalProperties: false }),
]);
export type FromWebview = Static<typeof FromWebview>;

let check: ReturnType<typeof TypeCompiler.Compile<typeof FromWebview>> | undefined;

/** The message, if it is one the panel understands; anything else is dropped. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  check ??= TypeCompiler.Compile(FromWebview); // compiled when a panel first speaks, not at activation
  return check.Check(message) ? message : undefined;
}

export type ToWebview =
  | { type: 'init'; header: ReviewHeader; timeline: Timeline }
  | { type: 'page'; total: number; offset: number; items: StepSummary[] }
  | { type: 'detail'; index: number; detail: StepDetail }
  | { type: 'file'; index: number; file: FileAtStep | null }
  | { type: 'busy'; message: string }
  | { type: 'status'; level: 'info' | 'error'; message: string };
