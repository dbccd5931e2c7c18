/** The chat panel in real headless Chromium, with a stand-in for the VS Code webview host. */
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../../src/extension/chat/panel/panelHtml';
import { ROOT } from '../paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const THEMES = {
  dark: {
    kind: 'vscode-dark',
    vars: {
      foreground: '#cccccc',
      'editor-background': '#1e1e1e',
      'sideBar-background': '#252526',
      descriptionForeground: '#9d9d9d',
      'editorWidget-background': '#252526',
      'textBlockQuote-background': '#2b3a4a',
      'textCodeBlock-background': '#0a0a0a',
      'panel-border': '#3c3c3c',
      'button-background': '#0e639c',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#1177bb',
      'button-secondaryBackground': '#3a3d41',
      'button-secondaryForeground': '#ffffff',
      'input-background': '#3c3c3c',
      'input-foreground': '#cccccc',
      'input-placeholderForeground': '#a6a6a6',
      'badge-background': '#4d4d4d',
      'badge-foreground': '#ffffff',
      'list-activeSelectionBackground': '#04395e',
      'list-activeSelectionForeground': '#ffffff',
      'list-hoverBackground': '#2a2d2e',
      focusBorder: '#007fd4',
      errorForeground: '#f48771',
      'testing-iconPassed': '#73c991',
      'editorWarning-foreground': '#cca700',
      'symbolIcon-keywordForeground': '#569cd6',
      'debugTokenExpression-string': '#ce9178',
      'debugTokenExpression-number': '#b5cea8',
      'symbolIcon-functionForeground': '#dcdcaa',
      'font-family': 'sans-serif',
      'font-size': '13px',
      'editor-font-family': 'monospace',
      'editor-font-size': '13px',
    },
  },
  light: {
    kind: 'vscode-light',
    vars: {
      foreground: '#3b3b3b',
      'editor-background': '#ffffff',
      'sideBar-background': '#f8f8f8',
      descriptionForeground: '#717171',
      'editorWidget-background': '#f3f3f3',
      'textBlockQuote-background': '#e8f0f8',
      'textCodeBlock-background': '#f5f5f5',
      'panel-border': '#e5e5e5',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'list-activeSelectionBackground': '#e8e8e8',
      'list-activeSelectionForeground': '#000000',
      focusBorder: '#005fb8',
      errorForeground: '#f85149',
      'testing-iconPassed': '#388a34',
      'symbolIcon-keywordForeground': '#0000ff',
      'debugTokenExpression-string': '#a31515',
      'debugTokenExpression-number': '#098658',
      'font-family': 'sans-serif',
      'font-size': '13px',
      'editor-font-family': 'monospace',
      'editor-font-size': '13px',
    },
  },
  'high-contrast': {
    kind: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff',
      'editor-background': '#000000',
      'sideBar-background': '#000000',
      descriptionForeground: '#ffffff',
      'editorWidget-background': '#0c141f',
      'textCodeBlock-background': '#000000',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'input-background': '#000000',
      'input-foreground': '#ffffff',
      'input-border': '#6fc3df',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'list-activeSelectionBackground': '#000000',
      'list-activeSelectionForeground': '#ffffff',
      focusBorder: '#f38518',
      errorForeground: '#f48771',
      'testing-iconPassed': '#73c991',
      'symbolIcon-keywordForeground': '#569cd6',
      'debugTokenExpression-string': '#ce9178',
      'debugTokenExpression-number': '#b5cea8',
      'font-family': 'sans-serif',
      'font-size': '13px',
      'editor-font-family': 'monospace',
      'editor-font-size': '13px',
    },
  },
} as const;

export type ThemeName = keyof typeof THEMES;

export interface PanelServer {
  url(theme: ThemeName, lang?: string): string;
  close(): Promise<void>;
}

/** Serves the panel as VS Code would: the real HTML (CSP and nonce), the real bundle and stylesheet. */
export async function servePanel(): Promise<PanelServer> {
  const script = join(ROOT, 'dist', 'webview.js');
  if (!existsSync(script)) throw new Error('dist/webview.js is missing: run "node esbuild.mjs" first');
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const file =
      url.pathname === '/webview.js'
        ? script
        : url.pathname === '/chat.css'
          ? join(ROOT, 'media', 'chat.css')
          : undefined;
    if (url.pathname.startsWith('/theme/')) {
      const theme = THEMES[decodeURIComponent(url.pathname.slice(7)) as ThemeName];
      response.writeHead(200, { 'content-type': 'text/css' });
      response.end(
        `:root {${Object.entries(theme.vars)
          .map(([name, value]) => `--vscode-${name}: ${value};`)
          .join(' ')}}`,
      );
      return;
    }
    if (file) {
      response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
      response.end(readFileSync(file));
      return;
    }
    if (url.pathname === '/panel.html') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      const html = panelHtml({
        cspSource: origin,
        scriptUri: `${origin}/webview.js`,
        styleUri: `${origin}/chat.css`,
        nonce: 'TestNonce123',
        lang: url.searchParams.get('lang') ?? 'en',
        title: 'Relay Chat',
      })
        // VS Code puts the theme's variables and kind on the document; the stand-in does it with a stylesheet and a
        // class.
        .replace(
          '<link rel="stylesheet"',
          `<link rel="stylesheet" href="${origin}/theme/${theme}">\n<link rel="stylesheet"`,
        )
        .replace('<body>', `<body class="${THEMES[theme].kind}">`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: (theme, lang = 'en') => `${origin}/panel.html?theme=${theme}&lang=${lang}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}. Install it with: sudo apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the panel with the acquireVsCodeApi stand-in: posted messages are recorded, state survives reloads. */
export async function openPanel(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 820, height: 560 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: unknown[]; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.acquireVsCodeApi = () => ({
      postMessage: (message: unknown) => w.__posted.push(message),
      getState: (): unknown => (JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') as unknown) ?? undefined,
      setState: (state: unknown) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
    });
  });
  await page.goto(url);
  return page;
}

export const posted = (page: Page) =>
  page.evaluate(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted);

export const fromHost = (page: Page, message: unknown) =>
  page.evaluate((data) => window.postMessage(data, '*'), message);

/** The panel's server and a headless Chromium for a test file: started before its tests, closed after them. */
export function panelBrowserForThisFile(): { readonly browser: Browser; readonly server: PanelServer } {
  let browser: Browser | undefined;
  let server: PanelServer | undefined;
  before(async () => {
    server = await servePanel();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the panel browser starts before the file's tests");
    return value;
  };
  return {
    get browser() {
      return started(browser);
    },
    get server() {
      return started(server);
    },
  };
}
