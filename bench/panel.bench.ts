/**
 * The chat panel with a long history, in headless Chromium with the real bundle, stylesheet and
 * CSP: 5,000 messages (500 of them snippets) in 20 conversations and the hints. Measured: the
 * panel opening on a conversation (init and focus, until laid out), switching to a conversation
 * not shown before and back to one shown, and one keystroke in the composer. Baseline: the same
 * operations on the panel as it was before it kept only what it shows (BASELINE_COMMIT), built
 * from git in this run. The webview API stand-in serialises every setState with JSON.stringify,
 * as VS Code does. Targets: open under 150 ms, switch under 50 ms, a keystroke under 16 ms.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { panelStrings } from '../src/extension/chat/panel/panelStrings';
import { panelHtml } from '../src/extension/chat/panel/panelHtml';
import { EVERYONE, format, type ChatSnapshot } from '../src/protocol/panel';
import { lessonItems, LESSON_PEERS } from './lessonHistory';
import { printTable, type BenchRow } from './table';

/** The last commit with the panel that kept and saved every item. */
const BASELINE_COMMIT = '182b313';
const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = { open: 9, switch: 30, keystroke: 60 };
// Loaded at run time, not bundled: both are packages with their own files.
const load = createRequire(__filename);
const { chromium } = load('playwright-core') as typeof import('playwright-core');
const esbuild = load('esbuild') as typeof import('esbuild');

const strings = panelStrings((message, ...args) => format(message, ...args.map(String)));
const PEERS = LESSON_PEERS;

function history(): ChatSnapshot {
  const items = lessonItems('Alice', 5000);
  return {
    connection: {
      kind: 'connected',
      name: 'Alice',
      server: '127.0.0.1:12345',
      dialect: 'Classroom Relay',
      role: 'student',
    },
    conversations: [
      { id: EVERYONE, label: strings.everyone, online: true, unread: 0 },
      ...PEERS.map((peer) => ({ id: peer.toLowerCase(), label: peer, online: true, unread: 0 })),
    ],
    items,
    maxTextBytes: 8000,
  };
}

interface Variant {
  name: string;
  script: string;
  style: string;
}

/** The panel's bundle and stylesheet as they were at `commit`, built from git. */
async function baselineVariant(): Promise<Variant> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-baseline-'));
  try {
    const archive = execFileSync('git', ['archive', BASELINE_COMMIT, 'src', 'media/chat.css'], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    const built = await esbuild.build({
      entryPoints: [join(dir, 'src', 'webview', 'main.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      write: false,
      nodePaths: [join(ROOT, 'node_modules')],
      logLevel: 'warning',
    });
    return {
      name: `panel at ${BASELINE_COMMIT}`,
      script: built.outputFiles[0]!.text,
      style: readFileSync(join(dir, 'media', 'chat.css'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function currentVariant(): Variant {
  return {
    name: 'panel now',
    script: readFileSync(join(ROOT, 'dist', 'webview.js'), 'utf8'),
    style: readFileSync(join(ROOT, 'media', 'chat.css'), 'utf8'),
  };
}

const THEME = `:root { --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d; --vscode-editorWidget-background: #202020;
  --vscode-textBlockQuote-background: #2b2b2b; --vscode-textCodeBlock-background: #2b2b2b; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 14px; }`;

/** Serves each variant as VS Code would: the real HTML with its CSP, the bundle and the stylesheet. */
async function serve(variants: Variant[]): Promise<{ url: (variant: number) => string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const variant = variants[Number(url.searchParams.get('v') ?? 0)];
    if (!variant) return void response.writeHead(404).end();
    const send = (type: string, body: string) => response.writeHead(200, { 'content-type': type }).end(body);
    if (url.pathname === '/webview.js') return send('text/javascript', variant.script);
    if (url.pathname === '/chat.css') return send('text/css', variant.style);
    if (url.pathname === '/theme.css') return send('text/css', THEME);
    if (url.pathname !== '/panel.html') return void response.writeHead(404).end();
    const v = url.searchParams.get('v');
    const html = panelHtml({
      cspSource: origin,
      scriptUri: `${origin}/webview.js?v=${v}`,
      styleUri: `${origin}/chat.css?v=${v}`,
      nonce: 'BenchNonce',
      lang: 'en',
      title: 'Relay Chat',
    })
      .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`)
      .replace('<body>', '<body class="vscode-dark">');
    return send('text/html; charset=utf-8', html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: (variant) => `${origin}/panel.html?v=${variant}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A page with the webview API stand-in: postMessage recorded, setState serialised as VS Code does. */
async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __state: string; acquireVsCodeApi: () => unknown };
    w.__state = '';
    w.acquireVsCodeApi = () => ({
      postMessage: () => undefined,
      getState: () => undefined,
      setState: (state: unknown) => {
        w.__state = JSON.stringify(state);
      },
    });
  });
  await page.goto(url);
  return page;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Opening the panel: the host's init with the whole history, then focus on a conversation, until laid out. */
async function timeOpen(browser: Browser, url: string, snapshot: ChatSnapshot): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS.open; run++) {
    const page = await openPage(browser, url);
    await page.evaluate((snapshot) => {
      (window as unknown as { __snapshot: unknown }).__snapshot = snapshot;
    }, snapshot);
    times.push(
      await page.evaluate(
        ({ strings, conversation }) => {
          const snapshot = (window as unknown as { __snapshot: unknown }).__snapshot;
          const begin = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', strings, snapshot } }));
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'focus', conversation } }));
          document.body.getBoundingClientRect();
          if (!document.querySelector('.messages .item')) throw new Error('nothing rendered');
          return performance.now() - begin;
        },
        { strings, conversation: PEERS[3]!.toLowerCase() },
      ),
    );
    await page.close();
  }
  return median(times);
}

/** Clicks each conversation in `ids` in turn, timing each until laid out. */
function clickThrough(page: Page, ids: string[]): Promise<number[]> {
  return page.evaluate(
    (ids) =>
      ids.map((id) => {
        const button = document.querySelector<HTMLElement>(`.conversation[data-conversation="${id}"]`)!;
        const begin = performance.now();
        button.click();
        document.body.getBoundingClientRect();
        return performance.now() - begin;
      }),
    ids,
  );
}

/** Switching to conversations not shown before, then back and forth between two shown ones. */
async function timeSwitch(page: Page): Promise<{ first: number; again: number }> {
  const first = await clickThrough(
    page,
    PEERS.slice(7, 17).map((peer) => peer.toLowerCase()),
  );
  const pair = [PEERS[5]!.toLowerCase(), PEERS[6]!.toLowerCase()];
  const again = await clickThrough(
    page,
    Array.from({ length: RUNS.switch }, (_, run) => pair[run % 2]!),
  );
  return { first: median(first), again: median(again.slice(2)) };
}

/** One character typed into the composer: the input event and what the panel does with it, until laid out. */
async function timeKeystroke(page: Page): Promise<number> {
  const times = await page.evaluate((runs) => {
    const box = document.querySelector('textarea')!;
    box.focus();
    const result: number[] = [];
    for (let run = 0; run < runs; run++) {
      const begin = performance.now();
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
      box.value += 'a';
      box.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'a', inputType: 'insertText' }));
      document.body.getBoundingClientRect();
      result.push(performance.now() - begin);
    }
    return result;
  }, RUNS.keystroke);
  return median(times.slice(5));
}

/** What this benchmark needs besides the build, each with what to do when it is missing. */
function missingNeeds(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM))
    missing.push(`Chromium is not at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  try {
    execFileSync('git', ['cat-file', '-e', `${BASELINE_COMMIT}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    missing.push(
      `The baseline is the panel at commit ${BASELINE_COMMIT}, which this checkout lacks (a shallow clone, or no git): run the benchmark in a full clone.`,
    );
  }
  if (!existsSync(join(ROOT, 'dist', 'webview.js')))
    missing.push('dist/webview.js is missing: run "node esbuild.mjs" first.');
  return missing;
}

async function main(): Promise<void> {
  const missing = missingNeeds();
  if (missing.length > 0) {
    for (const line of missing) console.error(`panel benchmark: ${line}`);
    process.exit(2);
  }
  const variants = [await baselineVariant(), currentVariant()];
  const server = await serve(variants);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const snapshot = history();
  const snippets = snapshot.items.filter((item) => item.content.kind === 'snippet').length;
  const input = `${snapshot.items.length.toLocaleString('en-US')} msgs, ${snippets} snippets`;
  const perConversation = (id: string) => snapshot.items.filter((item) => item.conversation === id);
  console.log(
    `History: ${[EVERYONE, ...[3, 5, 6].map((index) => PEERS[index]!.toLowerCase())]
      .map((id) => {
        const found = perConversation(id);
        return `${id === EVERYONE ? 'hints' : id} ${found.length} messages (${found.filter((item) => item.content.kind === 'snippet').length} snippets)`;
      })
      .join(', ')}, …`,
  );
  const measured: Array<{ open: number; first: number; again: number; keystroke: number; state: number }> = [];
  try {
    for (const [index] of variants.entries()) {
      const open = await timeOpen(browser, server.url(index), snapshot);
      const page = await openPage(browser, server.url(index));
      await page.evaluate(
        ({ strings, snapshot, conversation }) => {
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', strings, snapshot } }));
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'focus', conversation } }));
        },
        { strings, snapshot, conversation: PEERS[5]!.toLowerCase() },
      );
      const switching = await timeSwitch(page);
      const keystroke = await timeKeystroke(page);
      const state = await page.evaluate(() => (window as unknown as { __state: string }).__state.length);
      measured.push({ open, ...switching, keystroke, state });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const rows: BenchRow[] = [];
  const [before, now] = measured as [(typeof measured)[0], (typeof measured)[0]];
  for (const [operation, key] of [
    ['open on a conversation', 'open'],
    ['switch to a conversation not shown yet', 'first'],
    ['switch back to a conversation', 'again'],
    ['keystroke in the composer', 'keystroke'],
  ] as const) {
    const base: BenchRow = {
      operation: `${operation}, baseline: ${variants[0]!.name}`,
      input,
      microsPerCall: before[key] * 1000,
    };
    rows.push(base, { operation, input, microsPerCall: now[key] * 1000, baseline: base });
  }
  printTable('Chat panel with a long history (headless Chromium, real bundle and CSP)', rows);
  console.log(
    `Median milliseconds now: open ${now.open.toFixed(1)} (target < 150), switch ${now.first.toFixed(1)} to a new conversation and ${now.again.toFixed(1)} back (< 50), keystroke ${now.keystroke.toFixed(2)} (< 16).`,
  );
  console.log(
    `Saved with setState on each keystroke: ${before.state.toLocaleString('en-US')} characters before, ${now.state.toLocaleString('en-US')} now.\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
