// The runner's side of host tests that need a person's hands: a tiny HTTP endpoint the tests in
// the extension host call (CODETRAIL_DRIVER_URL) to click, select text, press keys and take
// screenshots in the real workbench page and its webviews through Playwright. The test keeps
// control of the flow and checks the store; the driver only does what a person would do.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const DEFAULT_TIMEOUT_MS = 30_000;

const WEBVIEW_IFRAME = 'iframe.webview.ready';

/** The page, or the content frame of the (only) visible webview panel. */
function scope(page, frame) {
  if (!frame || frame === 'workbench') return page;
  if (frame === 'webview') return page.frameLocator(WEBVIEW_IFRAME).frameLocator('#active-frame');
  throw new Error(`unknown frame ${frame}`);
}

/** The first (or `nth`; -1: last) element matching `selector` (holding `text`, if given), or its first `child`. */
function locate(page, { frame, selector, text, child, nth = 0 }) {
  let locator = scope(page, frame).locator(selector);
  if (text !== undefined) locator = locator.filter({ hasText: text });
  locator = nth === -1 ? locator.last() : locator.nth(nth);
  return child ? locator.locator(child).first() : locator;
}

const ACTIONS = {
  async waitFor(page, args) {
    await locate(page, args).waitFor({ state: args.state ?? 'visible', timeout: args.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    return true;
  },
  async click(page, args) {
    await locate(page, args).click({ timeout: args.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(args.modifiers ? { modifiers: args.modifiers } : {}) });
    return true;
  },
  async press(page, args) {
    await locate(page, args).press(args.key, { timeout: DEFAULT_TIMEOUT_MS });
    return true;
  },
  /** Types `value` into an input, replacing what it held, as a person would. */
  async fill(page, args) {
    await locate(page, args).fill(args.value, { timeout: DEFAULT_TIMEOUT_MS });
    return true;
  },
  /** Marks the page, so that a new page in its place (a reload) can be told apart: `body:not([data-driver-mark])`. */
  async mark(page, args) {
    await locate(page, { ...args, selector: 'body' }).evaluate((body) => body.setAttribute('data-driver-mark', ''));
    return true;
  },
  /** What an input holds now. */
  async value(page, args) {
    return locate(page, args).inputValue({ timeout: DEFAULT_TIMEOUT_MS });
  },
  async text(page, args) {
    return locate(page, args).textContent({ timeout: args.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  },
  async texts(page, args) {
    return scope(page, args.frame).locator(args.selector).allTextContents();
  },
  async attribute(page, args) {
    return locate(page, args).getAttribute(args.name, { timeout: DEFAULT_TIMEOUT_MS });
  },
  /** Selects `text` inside the element, as dragging the mouse over it would. */
  async selectText(page, args) {
    return locate(page, args).evaluate((root, wanted) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(wanted);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const selection = document.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
      }
      throw new Error(`"${wanted}" is not in ${root.id || root.className}`);
    }, args.text);
  },
  /** The whole page, or with `element: 'webview'` only the webview panel (as README shows it). */
  async screenshot(page, args, artifacts) {
    mkdirSync(artifacts, { recursive: true });
    const path = join(artifacts, `${args.name.replace(/[^\w.-]+/g, '_')}.png`);
    if (args.element === 'webview') await page.locator(WEBVIEW_IFRAME).screenshot({ path });
    else await page.screenshot({ path });
    return path;
  },
  /**
   * Resizes the browser window so that the webview panel is `width` CSS pixels wide (the
   * workbench around it keeps its size), and resolves once the panel's page has that width.
   */
  async resizeWebview(page, { width, height = 900 }) {
    const frame = page.locator(WEBVIEW_IFRAME);
    const now = (await frame.boundingBox())?.width;
    if (now === undefined) throw new Error('no webview panel is visible');
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: Math.round(viewport.width + width - now), height });
    const inner = scope(page, 'webview').locator('html');
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (;;) {
      const seen = await inner.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(document.documentElement.clientWidth))));
      if (Math.abs(seen - width) <= 2) return seen;
      if (Date.now() > deadline) throw new Error(`the webview page stayed ${seen} px wide, not ${width}`);
    }
  },
  async hover(page, args) {
    await locate(page, args).hover({ timeout: DEFAULT_TIMEOUT_MS });
    return true;
  },
  /**
   * WCAG contrast of every piece of visible text in the webview, from computed styles: the text
   * colour (with its and its ancestors' opacity) over the backgrounds stacked behind it. Disabled
   * controls are left out, as WCAG does. Returns the lowest ratios first.
   */
  async contrast(page, { limit = 10 } = {}) {
    return scope(page, 'webview')
      .locator('html')
      .evaluate((_, max) => {
        const parse = (value) => {
          let m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(value);
          if (m) return [Number(m[1]) / 255, Number(m[2]) / 255, Number(m[3]) / 255, m[4] === undefined ? 1 : Number(m[4])];
          m = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(value);
          if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
          throw new Error(`cannot read the colour ${value}`);
        };
        const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
        const luminance = (c) => {
          const [r, g, b] = c.slice(0, 3).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const hex = (c) =>
          `#${c
            .slice(0, 3)
            .map((v) =>
              Math.round(v * 255)
                .toString(16)
                .padStart(2, '0'),
            )
            .join('')}`;
        const background = (node) => {
          const layers = [];
          for (let up = node; up; up = up.parentElement) layers.push(parse(getComputedStyle(up).backgroundColor));
          let bg = [1, 1, 1, 1]; // what shows through a fully transparent page: never reached, body has the editor background
          for (const layer of layers.reverse()) bg = over(layer, bg);
          return bg;
        };
        const results = [];
        for (const node of document.body.querySelectorAll('*')) {
          const own = [...node.childNodes]
            .filter((c) => c.nodeType === Node.TEXT_NODE && c.data.trim())
            .map((c) => c.data.trim())
            .join(' ');
          if (!own || node.closest('[aria-hidden=true], [hidden], :disabled, option, script, style')) continue;
          const box = node.getBoundingClientRect();
          if (box.width === 0 || box.height === 0 || getComputedStyle(node).visibility === 'hidden') continue;
          let alpha = 1;
          for (let up = node; up; up = up.parentElement) alpha *= Number(getComputedStyle(up).opacity);
          const bg = background(node);
          const fg = parse(getComputedStyle(node).color);
          const text = over([fg[0], fg[1], fg[2], fg[3] * alpha], bg);
          const [hi, lo] = [luminance(text), luminance(bg)].sort((a, b) => b - a);
          const ratio = (hi + 0.05) / (lo + 0.05);
          const name = `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.classList.length ? `.${[...node.classList].join('.')}` : ''}`;
          results.push({ element: name, text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: hex(text), background: hex(bg) });
        }
        results.sort((a, b) => a.ratio - b.ratio);
        // Where a text field is: its border against what is around it (WCAG non-text contrast).
        const controls = [...document.querySelectorAll('input[type=search], select')].map((node) => {
          const around = background(node.parentElement);
          const border = over(parse(getComputedStyle(node).borderTopColor), around);
          const [hi, lo] = [luminance(border), luminance(around)].sort((a, b) => b - a);
          return {
            element: `${node.tagName.toLowerCase()}#${node.id}`,
            ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
            border: hex(border),
            background: hex(around),
          };
        });
        return { checked: results.length, lowest: results.slice(0, max), controls };
      }, limit);
  },
  async resizeViewport(page, { width, height }) {
    await page.setViewportSize({ width, height });
    return true;
  },
  /**
   * How the webview page is laid out: its width against its scroll width, and the elements that
   * stick out past the right edge (what a person would see cut off or scrolled away).
   */
  async layout(page) {
    return scope(page, 'webview')
      .locator('html')
      .evaluate(() => {
        const root = document.documentElement;
        const clientWidth = root.clientWidth;
        const outside = [];
        for (const node of document.body.querySelectorAll('*')) {
          const box = node.getBoundingClientRect();
          if (box.width === 0 || box.right <= clientWidth + 0.5) continue;
          // Inside a scrolling box the overflow is that box's, not the page's.
          let clipped = false;
          for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
            const { overflowX } = getComputedStyle(up);
            if (overflowX !== 'visible') {
              clipped = up.getBoundingClientRect().right <= clientWidth + 0.5;
              break;
            }
          }
          if (!clipped)
            outside.push(
              `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.classList.length ? `.${[...node.classList].join('.')}` : ''} (right ${Math.round(box.right)})`,
            );
        }
        return { clientWidth, scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth), outside: outside.slice(0, 10) };
      });
  },
};

/** Starts the endpoint; `attach` hands it the page once the browser has one. */
export async function startDriver(artifacts) {
  let page;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      let reply;
      try {
        const { action, args = {} } = JSON.parse(body);
        if (!page) throw new Error('the driver has no page yet');
        const act = ACTIONS[action];
        if (!act) throw new Error(`unknown driver action ${action}`);
        reply = { ok: true, result: (await act(page, args, artifacts)) ?? null };
      } catch (err) {
        reply = { ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    attach(p) {
      page = p;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
