// Real chat templates, as their models ship them, for rendering exported TRL rows the way
// transformers' `apply_chat_template` does (with @huggingface/jinja, the Jinja of transformers.js).
//
// Source: the npm package @huggingface/ollama-utils (MIT, by Hugging Face), whose
// src/chat-template-automap.ts holds the `chat_template` read from each model's GGUF file in
// Ollama's library: the model's own Hugging Face template, kept verbatim. It is a devDependency,
// pinned by package-lock.json, so no template file is copied into this repository.
//
// More templates (gpt-oss, Mistral, GLM-4-MoE, … from the models' or TRL's repositories) can be
// rendered too: CODETRAIL_CHAT_TEMPLATES=<folder of *.jinja> adds every file in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ChatTemplate {
  name: string;
  source: string;
  text: string;
}

interface AutomapEntry {
  model: string;
  gguf: string;
}

let automap: AutomapEntry[] | undefined;

/** The package's template table, compiled from its TypeScript source (it is not exported by its entry point). */
function ollamaAutomap(): AutomapEntry[] {
  if (automap) return automap;
  // The package exports only its entry point (dist/index.js); its sources sit next to dist/.
  const path = join(require.resolve('@huggingface/ollama-utils'), '..', '..', 'src', 'chat-template-automap.ts');
  const js = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod = { exports: {} as { OLLAMA_CHAT_TEMPLATE_MAPPING?: AutomapEntry[] } };
  new Function('module', 'exports', 'require', js)(mod, mod.exports, require);
  if (!mod.exports.OLLAMA_CHAT_TEMPLATE_MAPPING) throw new Error(`${path} no longer exports OLLAMA_CHAT_TEMPLATE_MAPPING`);
  return (automap = mod.exports.OLLAMA_CHAT_TEMPLATE_MAPPING);
}

/** The template shipped with one model of Ollama's library (e.g. `library/llama3.1:8b`). */
export function ollamaTemplate(name: string, model: string): ChatTemplate {
  const entry = ollamaAutomap().find((e) => e.model === model);
  if (!entry) throw new Error(`@huggingface/ollama-utils has no template for ${model}`);
  return { name, source: `@huggingface/ollama-utils ${model}`, text: entry.gguf };
}

/** Templates from CODETRAIL_CHAT_TEMPLATES, if set. */
export function extraTemplates(): ChatTemplate[] {
  const dir = process.env.CODETRAIL_CHAT_TEMPLATES;
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jinja'))
    .sort()
    .map((f) => ({ name: f.replace(/\.jinja$/, ''), source: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}
