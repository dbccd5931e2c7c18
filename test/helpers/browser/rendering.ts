/**
 * What the chat panel looks like, measured in Chromium: VS Code's real theme colours set on the
 * body as VS Code sets them, WCAG contrast computed from the rendered colours, and ink counted
 * in the pixels of a screenshot.
 */
import type { Browser, Page } from 'playwright-core';

/**
 * The colours VS Code gives a webview for its four built-in theme kinds: Dark Modern and Light
 * Modern (extensions/theme-defaults/themes/*_modern.json, VS Code 1.90–1.96), Dark High Contrast
 * and Light High Contrast (hc_black.json, hc_light.json), with the colour registry's defaults for
 * what a theme leaves unset. A colour a theme sets to null is absent, as in VS Code. The fonts
 * are VS Code's defaults on Linux, where the fallback monospace font is used.
 */
const FONTS = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '14px',
  'editor-font-weight': 'normal',
};

export const REAL_THEMES = {
  'Dark Modern': {
    kind: 'vscode-dark',
    vars: {
      ...FONTS,
      foreground: '#cccccc',
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      'charts-green': '#89d185',
      'testing-iconPassed': '#73c991',
      'editorWidget-background': '#202020',
      'textBlockQuote-background': '#2b2b2b',
      'textCodeBlock-background': '#2b2b2b',
      'sideBar-background': '#181818',
      'sideBar-foreground': '#cccccc',
      'panel-border': '#2b2b2b',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-border': '#ffffff12',
      'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131',
      'input-foreground': '#cccccc',
      'input-border': '#3c3c3c',
      'input-placeholderForeground': '#989898',
      'list-activeSelectionBackground': '#04395e',
      'list-activeSelectionForeground': '#ffffff',
      'list-hoverBackground': '#2a2d2e',
      focusBorder: '#0078d4',
      'editorWarning-foreground': '#cca700',
      'textLink-foreground': '#4daafc',
      'symbolIcon-keywordForeground': '#cccccc',
      'symbolIcon-functionForeground': '#b180d7',
      'symbolIcon-classForeground': '#ee9d28',
      'debugTokenExpression-boolean': '#4e94ce',
      'debugTokenExpression-string': '#ce9178',
      'debugTokenExpression-number': '#b5cea8',
      'debugTokenExpression-name': '#c586c0',
    },
  },
  'Light Modern': {
    kind: 'vscode-light',
    vars: {
      ...FONTS,
      foreground: '#3b3b3b',
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      descriptionForeground: '#3b3b3b',
      errorForeground: '#f85149',
      'charts-green': '#388a34',
      'testing-iconPassed': '#73c991',
      'editorWidget-background': '#f8f8f8',
      'textBlockQuote-background': '#f8f8f8',
      'textCodeBlock-background': '#f8f8f8',
      'sideBar-background': '#f8f8f8',
      'sideBar-foreground': '#3b3b3b',
      'panel-border': '#e5e5e5',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-border': '#0000001a',
      'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'input-border': '#cecece',
      'input-placeholderForeground': '#767676',
      'list-activeSelectionBackground': '#e8e8e8',
      'list-activeSelectionForeground': '#000000',
      'list-hoverBackground': '#f2f2f2',
      focusBorder: '#005fb8',
      'editorWarning-foreground': '#bf8803',
      'textLink-foreground': '#005fb8',
      'symbolIcon-keywordForeground': '#3b3b3b',
      'symbolIcon-functionForeground': '#652d90',
      'symbolIcon-classForeground': '#d67e00',
      'debugTokenExpression-boolean': '#0000ff',
      'debugTokenExpression-string': '#a31515',
      'debugTokenExpression-number': '#098658',
      'debugTokenExpression-name': '#9b46b0',
    },
  },
  'Dark High Contrast': {
    kind: 'vscode-high-contrast',
    vars: {
      ...FONTS,
      foreground: '#ffffff',
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      descriptionForeground: '#ffffffb3',
      errorForeground: '#f48771',
      'charts-green': '#89d185',
      'testing-iconPassed': '#73c991',
      'editorWidget-background': '#0c141f',
      'textCodeBlock-background': '#000000',
      'sideBar-background': '#000000',
      'panel-border': '#6fc3df',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryForeground': '#ffffff',
      'input-background': '#000000',
      'input-foreground': '#ffffff',
      'input-border': '#6fc3df',
      focusBorder: '#f38518',
      'editorWarning-foreground': '#ffd370',
      'textLink-foreground': '#21a6ff',
    },
  },
  'Light High Contrast': {
    kind: 'vscode-high-contrast vscode-high-contrast-light',
    vars: {
      ...FONTS,
      foreground: '#292929',
      'editor-background': '#ffffff',
      'editor-foreground': '#292929',
      descriptionForeground: '#292929b3',
      errorForeground: '#b5200d',
      'charts-green': '#374e06',
      'testing-iconPassed': '#007100',
      'editorWidget-background': '#ffffff',
      'textBlockQuote-background': '#f2f2f2',
      'textCodeBlock-background': '#f2f2f2',
      'sideBar-background': '#ffffff',
      'panel-border': '#0f4a85',
      contrastBorder: '#0f4a85',
      contrastActiveBorder: '#006bbd',
      'badge-background': '#0f4a85',
      'badge-foreground': '#ffffff',
      'button-background': '#0f4a85',
      'button-foreground': '#ffffff',
      'button-border': '#0f4a85',
      'button-secondaryForeground': '#292929',
      'input-background': '#ffffff',
      'input-foreground': '#292929',
      'input-border': '#0f4a85',
      focusBorder: '#006bbd',
      'editorWarning-foreground': '#895503',
      'textLink-foreground': '#0f4a85',
    },
  },
} as const;

export type RealTheme = keyof typeof REAL_THEMES;

/**
 * The styles VS Code puts in every webview before the extension's own, in a cascade layer
 * (src/vs/workbench/contrib/webview/browser/pre/index.html): the parts that touch the panel.
 */
const VSCODE_DEFAULT_STYLES = `@layer vscode-default {
  body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
    font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
  a:focus, input:focus, select:focus, textarea:focus { outline: 1px solid -webkit-focus-ring-color; outline-offset: -1px; }
  code { font-family: var(--monaco-monospace-font); color: var(--vscode-textPreformat-foreground);
    background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
  pre code { padding: 0; }
  ::-webkit-scrollbar { width: 10px; height: 10px; }
}`;

/**
 * Makes the page look as VS Code shows it: the stand-in theme gives way to a real one, whose
 * variables are set on the document and the body as VS Code sets them, with its kind as the
 * body's class and VS Code's default webview styles beneath the panel's.
 */
export async function applyRealTheme(page: Page, theme: RealTheme): Promise<void> {
  const { kind, vars } = REAL_THEMES[theme];
  await page.evaluate(
    ({ kind, vars, defaults }) => {
      document.querySelector('link[href*="/theme/"]')?.remove();
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(defaults);
      document.adoptedStyleSheets = [sheet];
      document.body.className = kind;
      for (const [name, value] of Object.entries(vars)) {
        document.documentElement.style.setProperty(`--vscode-${name}`, value);
        document.body.style.setProperty(`--vscode-${name}`, value);
      }
    },
    { kind, vars, defaults: VSCODE_DEFAULT_STYLES },
  );
}

export interface Contrast {
  selector: string;
  text: string;
  background: string;
  ratio: number;
}

/**
 * The WCAG contrast of the first element matching each selector: its text colour over the
 * background it is drawn on (the backgrounds of it and its ancestors, composited), both as
 * Chromium renders them (a canvas turns any CSS colour, color-mix included, into sRGB bytes).
 */
export async function contrasts(page: Page, selectors: readonly string[]): Promise<Contrast[]> {
  return page.evaluate((selectors) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string): [number, number, number, number] => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = '#000';
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      // fillRect premultiplies nothing for getImageData; a is the colour's own alpha.
      return [r!, g!, b!, a! / 255];
    };
    const over = (top: [number, number, number, number], below: [number, number, number]): [number, number, number] =>
      [0, 1, 2].map((index) => top[index]! * top[3] + below[index]! * (1 - top[3])) as [number, number, number];
    const luminance = (rgb: [number, number, number]) => {
      const [r, g, b] = rgb.map((value) => {
        const channel = value / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const hex = (rgb: [number, number, number]) =>
      `#${rgb.map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;
    return selectors.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`nothing matches ${selector}`);
      const chain: Element[] = [];
      for (let node: Element | null = element; node; node = node.parentElement) chain.unshift(node);
      let background: [number, number, number] = [255, 255, 255];
      for (const node of chain) background = over(rgba(getComputedStyle(node).backgroundColor), background);
      const text = over(rgba(getComputedStyle(element).color), background);
      const [lighter, darker] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
      return { selector, text: hex(text), background: hex(background), ratio: (lighter + 0.05) / (darker + 0.05) };
    });
  }, selectors);
}

/**
 * How many pixels in each rectangle of a PNG differ from `background` by more than a little:
 * the ink drawn there. The PNG is decoded by Chromium in a blank page of the same browser.
 */
export async function inkIn(
  browser: Browser,
  png: Buffer,
  background: [number, number, number],
  rects: ReadonlyArray<{ x: number; y: number; width: number; height: number }>,
): Promise<number[]> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ data, background, rects }) => {
        const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
        const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        return rects.map((rect) => {
          let ink = 0;
          for (
            let y = Math.max(0, Math.floor(rect.y));
            y < Math.min(image.height, Math.ceil(rect.y + rect.height));
            y++
          ) {
            for (
              let x = Math.max(0, Math.floor(rect.x));
              x < Math.min(image.width, Math.ceil(rect.x + rect.width));
              x++
            ) {
              const offset = (y * image.width + x) * 4;
              const distance =
                Math.abs(pixels[offset]! - background[0]) +
                Math.abs(pixels[offset + 1]! - background[1]) +
                Math.abs(pixels[offset + 2]! - background[2]);
              if (distance > 60) ink++;
            }
          }
          return ink;
        });
      },
      { data: png.toString('base64'), background, rects },
    );
  } finally {
    await page.close();
  }
}
