/**
 * What Broadcast Hint asks before a hint goes out: what it sends (the first lines of the text or
 * the selected code) and to whom (the students online, or nobody: then the relay keeps it for
 * students who join), and what it says after a hint went to an empty class.
 */
import type { Snippet } from '../../protocol/frames';
import { cut } from '../../protocol/text';
import type { Translate } from '../translate';

/** Lines of the hint shown in the question; the rest is counted. */
export const PREVIEW_LINES = 6;
/** Characters of each line shown. */
export const PREVIEW_LINE_CHARS = 100;

export type HintContent = { kind: 'text'; text: string } | { kind: 'snippet'; snippet: Snippet };

export interface HintConfirmation {
  message: string;
  /** The hint's first lines, below the message. */
  detail: string;
  /** The button that sends it. */
  send: string;
}

/** `students`: how many students are online now. */
export function hintConfirmation(content: HintContent, students: number, t: Translate): HintConfirmation {
  const message =
    students === 0
      ? t('Nobody is online: send this hint anyway? The relay keeps it for students who join and gives it to them.')
      : students === 1
        ? t('Send this hint to the class (1 student online)?')
        : t('Send this hint to the class ({0} students online)?', students);
  return { message, detail: preview(content, t), send: t('Send Hint') };
}

/** Said after a hint went out while nobody was online, instead of it having reached anyone. */
export function keptForLateJoiners(t: Translate): string {
  return t('Nobody is online: the hint is kept for students who join, who get it when they connect.');
}

function preview(content: HintContent, t: Translate): string {
  const text = content.kind === 'text' ? content.text : content.snippet.code;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const shown = lines.slice(0, PREVIEW_LINES).map((line) => cut(line, PREVIEW_LINE_CHARS));
  const rest = lines.length - shown.length;
  const head =
    content.kind === 'snippet'
      ? [
          content.snippet.file
            ? t('{0} code from {1}, {2} lines:', content.snippet.language, content.snippet.file, lines.length)
            : t('{0} code, {1} lines:', content.snippet.language, lines.length),
        ]
      : [];
  const more = rest > 0 ? [rest === 1 ? t('… and 1 more line') : t('… and {0} more lines', rest)] : [];
  return [...head, ...shown, ...more].join('\n');
}
