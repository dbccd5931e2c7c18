/** A snippet from what is selected in an editor, and whether the relay can carry it. */
import type { Snippet } from '../../protocol/frames';
import { utf8Length } from '../../protocol/utf8';
import type { Translate } from '../translate';

export interface EditorSelection {
  /** The selected text, or the current line when nothing is selected. */
  text: string;
  /** Nothing was selected: `text` is the line the cursor is on. */
  empty?: boolean;
  languageId: string;
  /** The file's path relative to the workspace, or its name for files outside one (see shareablePath). */
  path: string | undefined;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

export function snippetFromSelection(selection: EditorSelection): Snippet {
  // A selection that ends at the very start of a line does not include that line.
  const code = selection.text.replace(/\r\n/g, '\n');
  const endLine =
    code.endsWith('\n') && selection.endLine > selection.startLine ? selection.endLine - 1 : selection.endLine;
  const snippet: Snippet = { code: code.replace(/\n$/, ''), language: selection.languageId || 'plaintext' };
  const file = selection.path === undefined ? '' : shareablePath(selection.path);
  if (file) snippet.file = file;
  snippet.lines = { start: selection.startLine, end: Math.max(selection.startLine, endLine) };
  return snippet;
}

/**
 * What a snippet may say about its file: a path relative to the workspace as it is (with `/`),
 * and of any other path only the file's name. An absolute path would tell every classmate the
 * user name and folders of this computer; a relative one that climbs out (`..`) would too.
 */
export function shareablePath(path: string): string {
  const segments = path.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  const outside = /^(?:[\\/~]|[A-Za-z]:|[A-Za-z][\w+.-]*:)/.test(path) || segments.includes('..');
  return outside ? (segments.at(-1) ?? '') : segments.join('/');
}

/** Why `snippet` cannot go out when a snippet may have at most `limit` bytes, or undefined when it can. */
export function snippetTooLarge(snippet: Snippet, limit: number, t: Translate): string | undefined {
  const bytes = utf8Length(snippet.code);
  if (bytes <= limit) return undefined;
  return t('The selection has {0} bytes; a snippet may have at most {1}. Select less code.', bytes, limit);
}
