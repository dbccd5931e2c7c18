/**
 * Syntax highlighting with Prism's tokenizer: tokens become spans whose text is set as text,
 * so code from the network can never become markup.
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

/** VS Code language ids whose Prism grammar has another name. */
const ALIASES: Record<string, string> = {
  html: 'markup', xml: 'markup', svg: 'markup', javascriptreact: 'javascript', typescriptreact: 'typescript',
  shellscript: 'bash', sh: 'bash', py: 'python', js: 'javascript', ts: 'typescript', jsonc: 'json', 'c++': 'cpp',
};

export function grammarFor(language: string): Prism.Grammar | undefined {
  const id = language.toLowerCase();
  return Prism.languages[ALIASES[id] ?? id];
}

export function highlight(code: string, language: string): Node {
  const fragment = document.createDocumentFragment();
  const grammar = grammarFor(language);
  if (!grammar) {
    fragment.append(document.createTextNode(code));
    return fragment;
  }
  appendTokens(fragment, Prism.tokenize(code, grammar));
  return fragment;
}

function appendTokens(parent: Node, stream: Prism.TokenStream): void {
  if (typeof stream === 'string') {
    parent.appendChild(document.createTextNode(stream));
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
