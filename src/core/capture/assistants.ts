// Which coding assistants were present in a session: installed extensions that provide inline
// completions, chat or agents, named by id and version only. Read from their manifests (what
// they declare) and a list of well-known assistants (inline completion providers are registered
// in code, which no manifest declares). Nothing of theirs beyond the manifest is read.
import type { EventData } from '../schema/events';

export type Assistant = NonNullable<EventData<'session.start'>['assistants']>[number];
type Provides = Assistant['provides'][number];

/** Well-known assistants by extension id (lower case) and what they provide. */
const KNOWN: Record<string, Provides[]> = {
  'github.copilot': ['completions'],
  'github.copilot-chat': ['chat', 'agent'],
  'tabnine.tabnine-vscode': ['completions', 'chat'],
  'codeium.codeium': ['completions', 'chat'],
  'continue.continue': ['completions', 'chat', 'agent'],
  'supermaven.supermaven': ['completions', 'chat'],
  'sourcegraph.cody-ai': ['completions', 'chat'],
  'amazonwebservices.amazon-q-vscode': ['completions', 'chat', 'agent'],
  'amazonwebservices.aws-toolkit-vscode': ['completions'],
  'google.geminicodeassist': ['completions', 'chat', 'agent'],
  'saoudrizwan.claude-dev': ['chat', 'agent'],
  'rooveterinaryinc.roo-cline': ['chat', 'agent'],
  'anthropic.claude-code': ['agent'],
  'openai.chatgpt': ['chat', 'agent'],
  'visualstudioexptteam.vscodeintellicode': ['completions'],
  'blackboxapp.blackbox': ['completions', 'chat'],
};

/** Proposed APIs that only an inline completion engine asks for. */
const COMPLETION_PROPOSALS = /^inlineCompletions/;

/** What vscode.Extension says of itself. */
export interface ExtensionView {
  id: string;
  isActive: boolean;
  packageJSON: unknown;
}

export function assistantOf(ext: ExtensionView): Assistant | undefined {
  const manifest = (ext.packageJSON ?? {}) as {
    version?: unknown;
    contributes?: Record<string, unknown>;
    enabledApiProposals?: unknown;
    categories?: unknown;
  };
  const provides = new Set<Provides>(KNOWN[ext.id.toLowerCase()] ?? []);
  const contributes = manifest.contributes ?? {};
  const has = (key: string) => Array.isArray(contributes[key]) && (contributes[key] as unknown[]).length > 0;
  if (has('chatParticipants') || has('languageModels') || has('languageModelChatProviders')) provides.add('chat');
  if (has('languageModelTools') || has('mcpServerDefinitionProviders')) provides.add('agent');
  const proposals = Array.isArray(manifest.enabledApiProposals) ? manifest.enabledApiProposals.filter((p): p is string => typeof p === 'string') : [];
  if (proposals.some((p) => COMPLETION_PROPOSALS.test(p))) provides.add('completions');
  if (provides.size === 0) return undefined;
  const order: Provides[] = ['completions', 'chat', 'agent'];
  return {
    id: ext.id,
    version: typeof manifest.version === 'string' ? manifest.version.slice(0, 100) : '',
    active: ext.isActive,
    provides: order.filter((p) => provides.has(p)),
  };
}

export function assistantsOf(extensions: readonly ExtensionView[]): Assistant[] {
  return extensions
    .map(assistantOf)
    .filter((a): a is Assistant => a !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
