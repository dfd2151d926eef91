// The review page, in the webview. It renders what the extension sends and asks for more as the
// engineer scrolls, scrubs and selects; every decision (redact, delete, approve) goes back to the
// extension, which asks for confirmation and rewrites the store. No framework: a handful of
// elements, rebuilt from plain data.
import type { FileAtStep, ReviewHeader, StepCategory, StepDetail, StepSummary, Timeline } from '../core/review/reviewModel';
import type { AuthorCounts } from '../core/replay/authorship';
import type { FromWebview, ToWebview } from '../ui/review/protocol';
import { formatDuration } from '../core/review/duration';
import { count as countOf } from '../core/base/plural';
import { replayWords } from '../core/review/statusWords';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void; getState(): unknown; setState(state: unknown): void };
const vscode = acquireVsCodeApi();

const CATEGORIES: { id: StepCategory; label: string; icon: string }[] = [
  { id: 'edit', label: 'Edits', icon: 'edit' },
  { id: 'navigation', label: 'Navigation', icon: 'eye' },
  { id: 'terminal', label: 'Terminal', icon: 'terminal' },
  { id: 'test', label: 'Tests', icon: 'beaker' },
  { id: 'commit', label: 'Commits', icon: 'git-commit' },
  { id: 'file', label: 'Files', icon: 'file' },
  { id: 'diagnostics', label: 'Problems', icon: 'warning' },
  { id: 'gap', label: 'Deleted', icon: 'dash' },
];
const ICON = Object.fromEntries(CATEGORIES.map((c) => [c.id, c.icon])) as Record<StepCategory, string>;
const PAGE = 200;
const MAX_FILE_LINES = 5000;

interface State {
  header?: ReviewHeader;
  timeline?: Timeline;
  items: StepSummary[];
  total: number;
  loading: boolean;
  filter: { categories: StepCategory[]; file: string; text: string };
  /** Global step indices selected in the list; `anchor` is where a shift-selection starts. */
  selected: Set<number>;
  anchor: number | undefined;
  active: number | undefined;
  expanded: Set<number>;
  details: Map<number, StepDetail>;
  scrub: number;
  /** The file the replay pane shows: kept while scrubbing over steps without a file. */
  file: string;
  pendingJump: number | undefined;
  /** Where the list was scrolled before a reload: restored once its steps are back. */
  restoreScroll: number | undefined;
  /** Steps from this index on were just deleted: their selection and expansion do not carry over. */
  deletedFrom: number | undefined;
}

const state: State = {
  items: [],
  total: 0,
  loading: false,
  filter: { categories: [], file: '', text: '' },
  selected: new Set(),
  anchor: undefined,
  active: undefined,
  expanded: new Set(),
  details: new Map(),
  scrub: 0,
  file: '',
  pendingJump: undefined,
  restoreScroll: undefined,
  deletedFrom: undefined,
};

const app = document.getElementById('app')!;
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) if (c !== undefined) node.append(c);
  return node;
};
const icon = (name: string) => el('i', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });

// ---- layout, built once ----

const title = el('h1', { id: 'title' });
const badges = el('span', { class: 'badges' });
const meta = el('p', { class: 'meta' });
const description = el('p', { class: 'description' });
const approveButton = el('button', { id: 'approve', type: 'button' });
const redactButton = el(
  'button',
  { id: 'redact-selection', type: 'button', class: 'secondary', disabled: '' },
  icon('eye-closed'),
  ' Redact selection everywhere',
);
const deleteButton = el('button', { id: 'delete-steps', type: 'button', class: 'secondary', disabled: '' }, icon('trash'), ' Delete selected steps');
const deleteTaskButton = el('button', { id: 'delete-task', type: 'button', class: 'secondary' }, icon('close-all'), ' Delete task');
const status = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
const confirmBar = el('div', { id: 'confirm', role: 'alertdialog', 'aria-modal': 'false', 'aria-labelledby': 'confirm-question', hidden: '' });
const timelineBox = el('section', { class: 'timeline', 'aria-label': 'Activity over time' });
const search = el('input', { id: 'search', type: 'search', placeholder: 'Search steps', 'aria-label': 'Search steps' });
const chips = el('div', { class: 'chips', role: 'group', 'aria-label': 'Show only these kinds of steps' });
const fileFilter = el('select', { id: 'file-filter', 'aria-label': 'Show only steps in this file' });
const count = el('p', { class: 'count', 'aria-live': 'polite' });
const list = el('ol', { id: 'steps', role: 'listbox', 'aria-multiselectable': 'true', 'aria-label': 'Steps of the task', tabindex: '0' });
const more = el('div', { class: 'more' });
const scrubber = el('input', { id: 'scrubber', type: 'range', min: '0', max: '0', value: '0', 'aria-label': 'Replay: step' });
const scrubLabel = el('span', { id: 'scrub-label' });
const prevButton = el('button', { type: 'button', class: 'icon', 'aria-label': 'Previous step', title: 'Previous step' }, icon('chevron-left'));
const nextButton = el('button', { type: 'button', class: 'icon', 'aria-label': 'Next step', title: 'Next step' }, icon('chevron-right'));
const fileTitle = el('div', { class: 'file-title' });
const fileView = el('div', { id: 'file', class: 'code', tabindex: '0', role: 'region', 'aria-label': 'The file as it was after this step' });

function layout(): void {
  app.replaceChildren(
    el(
      'header',
      { class: 'head' },
      el('div', { class: 'title-row' }, title, badges),
      meta,
      description,
      el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Review actions' }, approveButton, redactButton, deleteButton, deleteTaskButton),
      confirmBar,
      status,
    ),
    timelineBox,
    el(
      'div',
      { class: 'panes' },
      el('section', { class: 'steps-pane', 'aria-label': 'Steps' }, el('div', { class: 'filters' }, search, fileFilter), chips, count, list, more),
      el(
        'section',
        { class: 'replay-pane', 'aria-label': 'Replay' },
        el('div', { class: 'scrub' }, prevButton, scrubber, nextButton, scrubLabel),
        fileTitle,
        fileView,
      ),
    ),
  );
  for (const c of CATEGORIES) {
    const chip = el('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-category': c.id }, icon(c.icon), ` ${c.label}`);
    chip.addEventListener('click', () => {
      const on = chip.getAttribute('aria-pressed') !== 'true';
      chip.setAttribute('aria-pressed', String(on));
      state.filter.categories = on ? [...state.filter.categories, c.id] : state.filter.categories.filter((x) => x !== c.id);
      reloadSteps();
    });
    chips.append(chip);
  }
}

// ---- header and timeline ----

function renderHeader(h: ReviewHeader): void {
  title.textContent = h.title;
  badges.replaceChildren(
    badge(
      h.status === 'exact' ? 'pass' : h.status === 'diverged' ? 'error' : 'info',
      replayWords(h.status),
      h.status === 'exact' ? 'ok' : h.status === 'diverged' ? 'bad' : '',
    ),
    badge(h.approved ? 'pass-filled' : 'circle-large-outline', h.approved ? 'approved' : 'not approved', h.approved ? 'ok' : ''),
  );
  meta.textContent = [
    h.outcome ?? 'in progress',
    formatDuration(h.endedAt - h.startedAt),
    countOf(h.steps, 'step'),
    countOf(h.events, 'event'),
    new Date(h.startedAt).toLocaleString(),
  ].join(' · ');
  description.textContent = h.description;
  description.hidden = !h.description;
  approveButton.replaceChildren(icon(h.approved ? 'circle-slash' : 'pass'), h.approved ? ' Withdraw approval' : ' Approve for export');
  approveButton.className = h.approved ? 'secondary' : '';
  const current = fileFilter.value;
  fileFilter.replaceChildren(el('option', { value: '' }, 'All files'), ...h.files.map((f) => el('option', { value: f }, f)));
  fileFilter.value = h.files.includes(current) ? current : '';
  if (h.divergence) status.textContent = `Replay diverged at ${h.divergence}`;
}

function badge(iconName: string, text: string, tone: string): HTMLElement {
  return el('span', { class: `badge ${tone}` }, icon(iconName), ` ${text}`);
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function renderTimeline(t: Timeline): void {
  const width = 1200;
  const height = 70;
  const max = Math.max(1, ...t.buckets.map((b) => Object.values(b.counts).reduce((a, c) => a + c, 0)));
  const bar = width / t.buckets.length;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 16}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': timelineSummary(t) });
  t.buckets.forEach((b, i) => {
    let y = height;
    for (const c of CATEGORIES) {
      const n = b.counts[c.id];
      if (!n) continue;
      const h = Math.max(1, (n / max) * (height - 4));
      y -= h;
      const rect = svg('rect', { x: i * bar + 0.5, y, width: Math.max(1, bar - 1), height: h, class: `bar ${c.id}` });
      rect.append(Object.assign(svg('title', {}), { textContent: `${n} ${c.label.toLowerCase()}` }));
      chart.append(rect);
    }
  });
  // Every stretch of time with steps is clickable: it goes to its first step.
  t.buckets.forEach((b, i) => {
    if (b.first === undefined) return;
    const target = svg('rect', { x: i * bar, y: 0, width: bar, height, class: 'hit' });
    target.append(Object.assign(svg('title', {}), { textContent: `${clock(b.from)}: go to step ${b.first + 1}` }));
    target.addEventListener('click', () => jumpTo(b.first!));
    chart.append(target);
  });
  timelineBox.replaceChildren(chart);
  const marks = el('div', { class: 'marks' });
  for (const m of t.marks) {
    const left = ((m.ts - t.start) / Math.max(1, t.end - t.start)) * 100;
    const kind = m.category === 'test' ? (m.outcome === 'pass' ? 'pass' : 'fail') : m.category;
    const mark = el(
      'button',
      { type: 'button', class: `mark ${kind}`, style: undefined, title: m.label, 'aria-label': `Go to: ${m.label}` },
      icon(m.category === 'commit' ? 'git-commit' : m.category === 'gap' ? 'dash' : m.outcome === 'pass' ? 'pass' : 'error'),
    );
    mark.style.left = `${Math.min(99, Math.max(0, left))}%`;
    mark.addEventListener('click', () => jumpTo(m.index));
    marks.append(mark);
  }
  const legend = el(
    'div',
    { class: 'legend', 'aria-hidden': 'true' },
    ...CATEGORIES.map((c) => el('span', {}, el('span', { class: `swatch ${c.id}` }), c.label)),
  );
  // A time axis: the clock time at five points along the task.
  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' });
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = el('span', { class: 'tick' }, clock(t.start + f * (t.end - t.start)));
    tick.style.left = `${f * 100}%`;
    axis.append(tick);
  }
  timelineBox.append(axis, marks, legend);
}

/** The one time format of the page: the viewer's own clock format, to the second. */
function clock(ts: number): string {
  return new Date(ts).toLocaleTimeString();
}

function timelineSummary(t: Timeline): string {
  const totals = CATEGORIES.map((c) => `${t.buckets.reduce((n, b) => n + b.counts[c.id], 0)} ${c.label.toLowerCase()}`);
  return `Activity over ${formatDuration(t.end - t.start)}: ${totals.join(', ')}`;
}

// ---- steps ----

function reloadSteps(): void {
  state.items = [];
  state.total = 0;
  list.replaceChildren();
  // The list is empty until the host answers: nothing shown is selected, so nothing can be deleted
  // (the button must not stay enabled for steps the new filter may hide).
  updateDeleteButton();
  requestPage(0);
}

function requestPage(offset: number, limit = PAGE): void {
  state.loading = true;
  more.textContent = 'Loading…';
  vscode.postMessage({ type: 'page', offset, limit, categories: state.filter.categories, file: state.filter.file, text: state.filter.text });
}

function onPage(total: number, offset: number, items: StepSummary[]): void {
  state.loading = false;
  if (offset !== state.items.length) return; // a reply to an older query
  state.total = total;
  state.items.push(...items);
  for (const s of items) list.append(stepItem(s));
  for (const s of items) {
    const li = document.getElementById(`step-${s.index}`)!;
    li.classList.toggle('active', s.index === state.active);
  }
  updateDeleteButton();
  if (state.restoreScroll !== undefined && (state.items.length >= total || list.scrollHeight - list.clientHeight >= state.restoreScroll)) {
    list.scrollTop = state.restoreScroll;
    state.restoreScroll = undefined;
  }
  count.textContent = `${total} step${total === 1 ? '' : 's'}${state.filter.categories.length || state.filter.file || state.filter.text ? ' match' : ''}`;
  more.textContent = state.items.length < total ? `Showing ${state.items.length} of ${total}: scroll for more` : '';
  if (state.pendingJump !== undefined) {
    const target = state.pendingJump;
    if (state.items.some((s) => s.index === target)) {
      state.pendingJump = undefined;
      select(target, false);
    } else if (state.items.length < total) requestPage(state.items.length, 1000);
  }
}

function stepItem(s: StepSummary): HTMLLIElement {
  const li = el('li', {
    id: `step-${s.index}`,
    role: 'option',
    'aria-selected': String(state.selected.has(s.index)),
    'data-index': String(s.index),
    class: `step ${s.category}`,
  });
  const toggle = el(
    'button',
    { type: 'button', class: 'icon toggle', tabindex: '-1', 'aria-label': 'Show details', 'aria-expanded': 'false' },
    icon('chevron-right'),
  );
  const time = el('time', { datetime: new Date(s.ts).toISOString() }, clock(s.ts));
  const label = el('span', { class: 'label' }, s.title);
  const row = el('div', { class: 'row' }, toggle, icon(ICON[s.category]), time, label);
  // How the step's edits were made, as recorded (the one that wrote most first).
  if (s.origins?.length) row.append(el('span', { class: 'note origin', title: 'Recorded origin of the edits' }, s.origins.join(', ')));
  if (s.outcome) row.append(badge(s.outcome === 'pass' ? 'pass' : 'error', s.outcome === 'pass' ? 'passed' : 'failed', s.outcome === 'pass' ? 'ok' : 'bad'));
  li.append(row);
  toggle.addEventListener('click', (e) => {
    e.stopPropagation();
    toggleDetail(s.index);
  });
  li.addEventListener('click', (e) => {
    // Selecting text in an open detail must not change the selection; a plain click there selects the step.
    if ((e.target as HTMLElement).closest('.detail') && (state.selected.has(s.index) || !document.getSelection()?.isCollapsed)) return;
    select(s.index, e.shiftKey, e.ctrlKey || e.metaKey);
  });
  if (state.expanded.has(s.index)) toggleDetail(s.index, true, li);
  return li;
}

function select(index: number, extend: boolean, add = false): void {
  const shown = state.items.map((s) => s.index);
  if (extend && state.anchor !== undefined) {
    const [a, b] = [shown.indexOf(state.anchor), shown.indexOf(index)].sort((x, y) => x - y);
    state.selected = new Set(shown.slice(a!, b! + 1));
  } else if (add) {
    if (state.selected.has(index)) state.selected.delete(index);
    else state.selected.add(index);
    state.anchor = index;
  } else {
    state.selected = new Set([index]);
    state.anchor = index;
  }
  state.active = index;
  for (const li of list.querySelectorAll<HTMLLIElement>('li[role=option]')) {
    const i = Number(li.dataset.index);
    li.setAttribute('aria-selected', String(state.selected.has(i)));
    li.classList.toggle('active', i === index);
  }
  list.setAttribute('aria-activedescendant', `step-${index}`);
  document.getElementById(`step-${index}`)?.scrollIntoView({ block: 'nearest' });
  updateDeleteButton();
  scrubTo(index);
  saveState();
}

/** The selected steps the list shows: a step a filter hides is never acted on. */
function shownSelection(): number[] {
  return state.items.map((s) => s.index).filter((i) => state.selected.has(i));
}

function updateDeleteButton(): void {
  const n = shownSelection().length;
  deleteButton.disabled = n === 0;
  deleteButton.replaceChildren(icon('trash'), n > 1 ? ` Delete ${n} steps` : ' Delete selected step');
}

/** What survives a reload, a move to another editor group and every action: kept by VS Code for the page. */
interface Saved {
  selected: number[];
  anchor?: number;
  active?: number;
  expanded: number[];
  scrub: number;
  file: string;
  filter: State['filter'];
  scrollTop: number;
}

function saveState(): void {
  const saved: Saved = {
    selected: [...state.selected],
    anchor: state.anchor,
    active: state.active,
    expanded: [...state.expanded],
    scrub: state.scrub,
    file: state.file,
    filter: state.filter,
    scrollTop: list.scrollTop,
  };
  vscode.setState(saved);
}

function restoreState(steps: number): void {
  const saved = vscode.getState() as Saved | undefined;
  if (!saved) return;
  const valid = (i: number | undefined) => (i !== undefined && i < steps ? i : undefined);
  state.selected = new Set(saved.selected.filter((i) => i < steps));
  state.anchor = valid(saved.anchor);
  state.active = valid(saved.active);
  state.expanded = new Set(saved.expanded.filter((i) => i < steps));
  state.scrub = valid(saved.scrub) ?? 0;
  state.file = saved.file;
  state.filter = saved.filter;
  state.restoreScroll = saved.scrollTop;
  search.value = saved.filter.text;
  for (const chip of chips.querySelectorAll<HTMLElement>('.chip'))
    chip.setAttribute('aria-pressed', String(saved.filter.categories.includes(chip.dataset.category as StepCategory)));
}

function toggleDetail(index: number, open?: boolean, li: HTMLElement | null = document.getElementById(`step-${index}`)): void {
  if (!li) return;
  const show = open ?? !state.expanded.has(index);
  const toggle = li.querySelector('.toggle')!;
  toggle.setAttribute('aria-expanded', String(show));
  toggle.replaceChildren(icon(show ? 'chevron-down' : 'chevron-right'));
  li.querySelector('.detail')?.remove();
  if (!show) {
    state.expanded.delete(index);
    saveState();
    return;
  }
  state.expanded.add(index);
  saveState();
  const known = state.details.get(index);
  li.append(known ? renderDetail(known) : el('div', { class: 'detail loading' }, 'Loading…'));
  if (!known) vscode.postMessage({ type: 'detail', index });
}

function onDetail(index: number, detail: StepDetail): void {
  state.details.set(index, detail);
  const li = document.getElementById(`step-${index}`);
  if (!li || !state.expanded.has(index)) return;
  li.querySelector('.detail')?.remove();
  li.append(renderDetail(detail));
}

function renderDetail(d: StepDetail): HTMLElement {
  const box = el('div', { class: 'detail' });
  switch (d.kind) {
    case 'diff':
      box.append(el('p', { class: 'note' }, d.note), patchView(d.patch));
      break;
    case 'terminal':
      box.append(
        el(
          'p',
          {},
          badge(
            d.exitCode === 0 ? 'pass' : 'error',
            d.exitCode === 0 ? 'succeeded' : d.exitCode === null ? 'result unknown' : `failed: exit code ${d.exitCode}`,
            d.exitCode === 0 ? 'ok' : d.exitCode === null ? '' : 'bad',
          ),
          ` · ${d.cwd === null ? 'folder unknown' : d.cwd === '.' ? 'in the repository root' : `in ${d.cwd}`} · ${formatDuration(d.durationMs)}`,
        ),
        el('pre', { class: 'command' }, d.command),
        d.output ? el('pre', { class: 'output' }, d.output) : el('p', { class: 'note' }, 'Output not recorded (the policy does not keep terminal output).'),
      );
      break;
    case 'test':
      box.append(
        el(
          'p',
          {},
          `${d.passed ?? '?'} passed, ${d.failed ?? '?'} failed, ${d.skipped ?? '?'} skipped · ${d.runner ?? 'unknown runner'} · exit ${d.exitCode ?? '?'}`,
        ),
        el('pre', { class: 'command' }, d.command),
      );
      if (d.failing.length)
        box.append(el('ul', { class: 'failing', 'aria-label': 'Failing tests' }, ...d.failing.map((f) => el('li', {}, icon('error'), ` ${f}`))));
      break;
    case 'commit':
      box.append(
        el('p', {}, el('code', {}, d.sha.slice(0, 10))),
        el('pre', { class: 'message' }, d.message),
        el(
          'ul',
          { class: 'files', 'aria-label': 'Files in the commit' },
          ...d.files.map((f) => el('li', {}, `${f.status} ${f.path} `, el('span', { class: 'note' }, `+${f.added ?? '?'} −${f.deleted ?? '?'}`))),
        ),
        authorshipBar(d.authorship),
      );
      break;
    case 'text':
      box.append(el('pre', { class: 'output' }, d.lines.join('\n')));
      break;
  }
  return box;
}

/** The authors of a commit's added lines, in the order replay/authorship.ts lists them, with the words the bar shows. */
const AUTHOR_LABELS: [keyof AuthorCounts, string][] = [
  ['typed', 'typed'],
  ['pasted', 'pasted'],
  ['completed', 'completed'],
  ['agent', 'agent'],
  ['tool', 'tool'],
];

/** Who wrote the lines a commit added: a bar of shares, and the same numbers in words (the bar's label and a legend). */
function authorshipBar(a: Extract<StepDetail, { kind: 'commit' }>['authorship']): HTMLElement {
  if (!a) return el('p', { class: 'note' }, 'Who wrote the added lines: unknown (replay cannot rebuild the files here).');
  if (a.added === 0) return el('p', { class: 'note' }, 'Who wrote the added lines: the commit adds none.');
  const share = (n: number) => `${Math.round((100 * n) / a.added)}%`;
  const parts = AUTHOR_LABELS.map(([key, word]) => ({ key, word, n: a.counts[key] }));
  const words = parts.map((p) => `${p.word} ${p.n} (${share(p.n)})`).join(', ');
  const bar = el(
    'div',
    { class: 'authorship-bar', role: 'img', 'aria-label': `Who wrote the ${countOf(a.added, 'added line')}: ${words}` },
    ...parts
      .filter((p) => p.n > 0)
      .map((p) => {
        const part = el('span', { class: `author ${p.key}`, title: `${p.word}: ${p.n}` });
        part.style.flexGrow = String(p.n); // the CSP allows no style attribute: set through the DOM
        return part;
      }),
  );
  const legend = el(
    'p',
    { class: 'authorship-legend', 'aria-hidden': 'true' },
    ...parts.map((p) => el('span', {}, el('span', { class: `swatch author ${p.key}` }), ` ${p.word} ${p.n} (${share(p.n)})`)),
  );
  return el('div', { class: 'authorship' }, el('p', {}, `Who wrote the ${countOf(a.added, 'added line')}:`), bar, legend);
}

function patchView(patch: string): HTMLElement {
  const pre = el('pre', { class: 'patch', 'aria-label': 'Changes' });
  for (const line of patch.split('\n')) {
    if (line.startsWith('===') || line.startsWith('Index:')) continue;
    const kind =
      line.startsWith('+++') || line.startsWith('---')
        ? 'file'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('\\')
                ? 'note'
                : '';
    pre.append(el('span', { class: `pl ${kind}` }, line), '\n');
  }
  return pre;
}

// ---- replay ----

function scrubTo(index: number): void {
  state.scrub = index;
  // The list follows the scrubber: the step replayed is the one highlighted.
  if (state.active !== index) {
    state.active = index;
    for (const li of list.querySelectorAll<HTMLLIElement>('li.active')) li.classList.remove('active');
    const row = document.getElementById(`step-${index}`);
    row?.classList.add('active');
    row?.scrollIntoView({ block: 'nearest' });
    if (row) list.setAttribute('aria-activedescendant', row.id);
  }
  scrubber.value = String(index);
  const step = state.items.find((s) => s.index === index);
  scrubLabel.textContent = `Step ${index + 1} of ${state.header?.steps ?? 0}${step ? `: ${step.title}` : ''}`;
  scrubber.setAttribute('aria-valuetext', scrubLabel.textContent);
  vscode.postMessage({ type: 'fileAt', index, file: state.file });
}

function onFile(index: number, file: FileAtStep | null): void {
  if (index !== state.scrub) return;
  if (!file) {
    fileTitle.textContent = 'This step has no file to show.';
    fileView.replaceChildren();
    return;
  }
  state.file = file.file;
  fileTitle.replaceChildren(
    icon('file'),
    ` ${file.file}`,
    file.removedLines ? el('span', { class: 'note' }, ` · ${countOf(file.removedLines, 'line')} removed here`) : '',
  );
  if (file.text === null) {
    fileView.replaceChildren(
      el('p', { class: 'note' }, 'Not recorded at this step: Codetrail keeps a file’s content from its first edit, or when it changes on disk.'),
    );
    return;
  }
  const changed = new Set(file.changedLines);
  const lines = file.text.split('\n');
  const rows = lines
    .slice(0, MAX_FILE_LINES)
    .map((text, i) =>
      el(
        'div',
        { class: `line${changed.has(i + 1) ? ' changed' : ''}` },
        el('span', { class: 'ln', 'aria-hidden': 'true' }, String(i + 1)),
        el('span', { class: 'tx' }, text || ' '),
      ),
    );
  fileView.replaceChildren(...rows);
  if (lines.length > MAX_FILE_LINES) fileView.append(el('p', { class: 'note' }, `${lines.length - MAX_FILE_LINES} more lines not shown.`));
  fileView.querySelector('.changed')?.scrollIntoView({ block: 'center' });
}

function jumpTo(index: number): void {
  if (state.items.some((s) => s.index === index)) return select(index, false);
  // Not loaded (or filtered out): show everything and load up to it.
  state.filter = { categories: [], file: '', text: '' };
  search.value = '';
  fileFilter.value = '';
  for (const chip of chips.querySelectorAll('.chip')) chip.setAttribute('aria-pressed', 'false');
  state.pendingJump = index;
  reloadSteps();
}

// ---- redaction by selection ----

function selectedWord(): string | undefined {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return undefined;
  const within = selection.getRangeAt(0).commonAncestorContainer;
  const host = within instanceof Element ? within : within.parentElement;
  if (!host?.closest('.detail, #file')) return undefined;
  const text = selection.toString().replace(/\u00a0/g, ' ');
  if (text.trim().length < 3 || /[\r\n]/.test(text) || text.length > 500) return undefined;
  return text;
}

document.addEventListener('selectionchange', () => updateRedactButton());

// ---- confirmation ----

/**
 * Destructive actions are confirmed here, in the page, next to what they act on: one question,
 * the action named on its button, Escape or Cancel to back out, focus returned where it was.
 */
function confirmThen(question: string, detail: string, action: string, run: () => void): void {
  const returnTo = document.activeElement as HTMLElement | null;
  const yes = el('button', { type: 'button', id: 'confirm-yes' }, action);
  const no = el('button', { type: 'button', id: 'confirm-no', class: 'secondary' }, 'Cancel');
  const close = () => {
    confirmBar.hidden = true;
    confirmBar.replaceChildren();
    returnTo?.focus();
  };
  yes.addEventListener('click', () => {
    close();
    run();
  });
  no.addEventListener('click', close);
  confirmBar.onkeydown = (e) => {
    if (e.key === 'Escape') close();
  };
  confirmBar.replaceChildren(
    icon('warning'),
    el('div', {}, el('strong', { id: 'confirm-question' }, question), el('p', {}, detail)),
    el('div', { class: 'confirm-actions' }, yes, no),
  );
  confirmBar.hidden = false;
  yes.focus();
}

// ---- events ----

/** Sends an action; what the page said about the last one no longer applies. */
function act(message: FromWebview): void {
  status.className = '';
  status.textContent = '';
  vscode.postMessage(message);
}

function updateRedactButton(): void {
  const word = selectedWord();
  redactButton.disabled = !word;
  redactButton.replaceChildren(
    icon('eye-closed'),
    word ? ` Redact “${word.length > 30 ? `${word.slice(0, 29)}…` : word}” everywhere` : ' Redact selection everywhere',
  );
  redactButton.dataset.word = word ?? '';
}

function wire(): void {
  approveButton.addEventListener('click', () => act({ type: 'approve', approved: !state.header?.approved }));
  redactButton.addEventListener('click', () => {
    const word = redactButton.dataset.word;
    if (!word) return;
    confirmThen(
      `Redact “${word}” everywhere in this task?`,
      'Every record of the task that holds it is rewritten with a placeholder, also where it was typed a few keys at a time. This cannot be undone.',
      'Redact',
      () => act({ type: 'redact', word }),
    );
  });
  deleteButton.addEventListener('click', deleteSelected);
  deleteTaskButton.addEventListener('click', () =>
    confirmThen(
      `Delete everything recorded for “${state.header?.title ?? 'this task'}”?`,
      'Its records are removed from the store for good.',
      'Delete task',
      () => act({ type: 'deleteTask' }),
    ),
  );
  let debounce: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.filter.text = search.value;
      saveState();
      reloadSteps();
    }, 150);
  });
  fileFilter.addEventListener('change', () => {
    state.filter.file = fileFilter.value;
    saveState();
    reloadSteps();
  });
  scrubber.addEventListener('input', () => {
    const to = Number(scrubber.value);
    if (state.items.some((s) => s.index === to)) select(to, false);
    else scrubTo(to);
  });
  prevButton.addEventListener('click', () => step(-1));
  nextButton.addEventListener('click', () => step(1));
  let scrollSave: ReturnType<typeof setTimeout> | undefined;
  list.addEventListener('scroll', () => {
    clearTimeout(scrollSave);
    scrollSave = setTimeout(saveState, 200);
    if (!state.loading && state.items.length < state.total && list.scrollTop + list.clientHeight > list.scrollHeight - 200) requestPage(state.items.length);
  });
  list.addEventListener('keydown', (e) => {
    const shown = state.items.map((s) => s.index);
    const at = state.active === undefined ? -1 : shown.indexOf(state.active);
    const go = (to: number) => {
      const target = shown[Math.max(0, Math.min(shown.length - 1, to))];
      if (target !== undefined) select(target, e.shiftKey);
      e.preventDefault();
    };
    switch (e.key) {
      case 'ArrowDown':
        return go(at + 1);
      case 'ArrowUp':
        return go(at - 1);
      case 'Home':
        return go(0);
      case 'End':
        return go(shown.length - 1);
      case 'Enter':
      case ' ':
        if (state.active !== undefined) toggleDetail(state.active);
        e.preventDefault();
        return;
      case 'Delete':
        deleteSelected();
        e.preventDefault();
        return;
    }
  });
}

function step(delta: number): void {
  const max = Math.max(0, (state.header?.steps ?? 1) - 1);
  const to = Math.max(0, Math.min(max, state.scrub + delta));
  if (state.items.some((s) => s.index === to)) select(to, false);
  else scrubTo(to);
}

function deleteSelected(): void {
  const indices = shownSelection().sort((a, b) => a - b);
  if (indices.length === 0) return;
  const only = indices.length === 1 ? state.items.find((s) => s.index === indices[0]) : undefined;
  confirmThen(
    only ? `Delete the step “${only.title}”?` : `Delete ${indices.length} steps?`,
    'Their records are removed for good; the task keeps a marked gap so it still replays.',
    'Delete',
    () => {
      state.deletedFrom = indices[0];
      act({ type: 'deleteSteps', indices });
    },
  );
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'init': {
      const first = !state.header;
      state.header = m.header;
      state.timeline = m.timeline;
      state.details.clear();
      if (first) restoreState(m.header.steps);
      else {
        // Same task, reloaded after an action: keep what the engineer had open, except what a deletion moved.
        const cut = state.deletedFrom ?? m.header.steps;
        state.deletedFrom = undefined;
        const keep = (i: number) => i < cut && i < m.header.steps;
        state.selected = new Set([...state.selected].filter(keep));
        state.expanded = new Set([...state.expanded].filter(keep));
        if (state.active !== undefined && !keep(state.active)) state.active = undefined;
        state.restoreScroll = list.scrollTop;
      }
      updateRedactButton();
      app.setAttribute('aria-busy', 'false');
      renderHeader(m.header);
      fileFilter.value = state.filter.file;
      state.filter.file = fileFilter.value; // a restored file the task no longer has: all files
      renderTimeline(m.timeline);
      scrubber.max = String(Math.max(0, m.header.steps - 1));
      reloadSteps();
      if (state.scrub >= m.header.steps) state.scrub = 0;
      if (m.header.steps > 0) scrubTo(state.scrub);
      saveState();
      return;
    }
    case 'page':
      return onPage(m.total, m.offset, m.items);
    case 'detail':
      return onDetail(m.index, m.detail);
    case 'file':
      return onFile(m.index, m.file);
    case 'busy':
      status.className = 'busy';
      status.textContent = m.message;
      return;
    case 'status':
      status.className = m.level;
      status.textContent = m.message;
      return;
  }
});

layout();
wire();
vscode.postMessage({ type: 'ready' });
