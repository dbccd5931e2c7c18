/**
 * Syntax highlighting with Prism's tokenizer: tokens become spans whose text is set as text,
 * so code from the network can never become markup. Hidden characters (hiddenCharacters.ts)
 * are shown as visible markers instead of acting on the text around them.
 */
import Prism from 'prismjs';
import 'prismjs/components/prism-clike';
import 'prismjs/components/prism-markup';
import 'prismjs/components/prism-css';
import 'prismjs/components/prism-javascript';
import 'prismjs/components/prism-typescript';
import 'prismjs/components/prism-python';
import 'prismjs/components/prism-java';
import 'prismjs/components/prism-c';
import 'prismjs/components/prism-cpp';
import 'prismjs/components/prism-csharp';
import 'prismjs/components/prism-json';
import 'prismjs/components/prism-bash';
import 'prismjs/components/prism-sql';
import 'prismjs/components/prism-go';
import 'prismjs/components/prism-rust';
import 'prismjs/components/prism-markdown';
import 'prismjs/components/prism-yaml';
import { splitHidden } from './hiddenCharacters';

/** VS Code language ids whose Prism grammar has another name. */
const ALIASES: Record<string, string> = {
  html: 'markup',
  xml: 'markup',
  svg: 'markup',
  javascriptreact: 'javascript',
  typescriptreact: 'typescript',
  shellscript: 'bash',
  sh: 'bash',
  py: 'python',
  js: 'javascript',
  ts: 'typescript',
  jsonc: 'json',
  'c++': 'cpp',
};

export function grammarFor(language: string): Prism.Grammar | undefined {
  const id = language.toLowerCase();
  return Prism.languages[ALIASES[id] ?? id];
}

/**
 * Prism's tokenizer grows faster than the code on some inputs (10,000 characters of Python
 * quotes take seconds), and any classmate can send a snippet: longer code is shown plain.
 */
export const HIGHLIGHT_LIMIT = { characters: 4000, lines: 200 };

export function worthHighlighting(code: string): boolean {
  if (code.length > HIGHLIGHT_LIMIT.characters) return false;
  let lines = 1;
  for (let index = code.indexOf('\n'); index !== -1; index = code.indexOf('\n', index + 1))
    if (++lines > HIGHLIGHT_LIMIT.lines) return false;
  return true;
}

export function highlight(code: string, language: string): Node {
  const fragment = document.createDocumentFragment();
  const grammar = worthHighlighting(code) ? grammarFor(language) : undefined;
  if (!grammar) {
    appendText(fragment, code);
    return fragment;
  }
  appendTokens(fragment, Prism.tokenize(code, grammar));
  return fragment;
}

function appendTokens(parent: Node, stream: Prism.TokenStream): void {
  if (typeof stream === 'string') {
    appendText(parent, stream);
    return;
  }
  if (Array.isArray(stream)) {
    for (const part of stream) appendTokens(parent, part);
    return;
  }
  const span = document.createElement('span');
  // Token types are Prism's own names (letters and dashes), never text from the network.
  span.className = `token ${stream.type}${stream.alias ? ` ${[stream.alias].flat().join(' ')}` : ''}`;
  appendTokens(span, stream.content);
  parent.appendChild(span);
}

function appendText(parent: Node, text: string): void {
  for (const part of splitHidden(text)) {
    if (!part.hidden) {
      parent.appendChild(document.createTextNode(part.text));
      continue;
    }
    const marker = document.createElement('span');
    marker.className = 'hidden-char';
    marker.title = `${part.hidden.label} ${part.hidden.name}`;
    marker.textContent = part.hidden.label;
    parent.appendChild(marker);
  }
}

/** Which of a snippet's code an element shows: the folded head or all of it (folding.ts). */
export type CodePart = 'head' | 'all';

/**
 * Highlighted code elements by item id, so each snippet is tokenized once however often its
 * conversation is shown again: its head when it is first shown, all of it only once asked for.
 * An entry is reused only for the same code and language.
 */
export class HighlightCache {
  private readonly entries = new Map<
    string,
    Partial<Record<CodePart, { code: string; language: string; element: HTMLElement }>>
  >();

  /**
   * The highlighted element for `code`, this part of the item's snippet: the cached one (moved
   * where it is put), or a new one.
   */
  element(id: string, part: CodePart, code: string, language: string): HTMLElement {
    let parts = this.entries.get(id);
    const cached = parts?.[part];
    if (cached && cached.code === code && cached.language === language) return cached.element;
    const element = document.createElement('code');
    element.className = `language-${language.replace(/[^\w-]/g, '')}`;
    element.append(highlight(code, language));
    if (!parts) this.entries.set(id, (parts = {}));
    parts[part] = { code, language, element };
    return element;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
