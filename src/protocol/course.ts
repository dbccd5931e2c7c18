/**
 * The course relay's dialects, as ../shared/course/README.md states them: `Recipient:Text`
 * from a client, `Sender: Text` to the recipient, and a German line for an unknown recipient.
 */
import { COURSE_RECV_BYTES } from './limits';
import type { Snippet } from './frames';
import { escapeControlsKeepLines } from './sanitize';
import { splitUtf8, utf8Length } from './utf8';

export const notFoundLine = (recipient: string): string => `Empfänger ${recipient} nicht gefunden.`;
export const sendFailedLine = (recipient: string): string => `Fehler beim Senden an ${recipient}.`;
export const forwardLine = (sender: string, text: string): string => `${sender}: ${text}`;

/**
 * How a course client sees who wrote: the name, and for a teacher a role in parentheses, which
 * no name can contain: `Frau Keller (Lehrperson)`, for a hint `Frau Keller (Lehrperson, an alle)`,
 * for a hint from before the client joined also its time, `(Lehrperson, an alle, 10:32)`.
 */
export function senderLabel(from: string, teacher: { hint: boolean; earlierAt?: string } | undefined): string {
  if (!teacher) return from;
  const parts = ['Lehrperson', ...(teacher.hint ? ['an alle'] : []), ...(teacher.earlierAt ? [teacher.earlierAt] : [])];
  return `${from} (${parts.join(', ')})`;
}

/** A `Recipient:Text` message, split at the first colon as the course server does. */
export function parseAddressed(message: string): { to: string; text: string } | undefined {
  const colon = message.indexOf(':');
  if (colon === -1) return undefined;
  return { to: message.slice(0, colon), text: message.slice(colon + 1) };
}

export type CourseIncoming =
  | { kind: 'message'; from: string; text: string }
  | { kind: 'not-found'; recipient: string }
  | { kind: 'send-failed'; recipient: string }
  | { kind: 'notice'; text: string };

const NOT_FOUND = /^Empfänger ([\s\S]*) nicht gefunden\.$/u;
const SEND_FAILED = /^Fehler beim Senden an ([\s\S]*)\.$/u;

/** What a course client sees from the server, one read at a time. */
export function parseIncoming(raw: string): CourseIncoming {
  const message = raw.replace(/\r?\n$/, '');
  const notFound = NOT_FOUND.exec(message);
  if (notFound) return { kind: 'not-found', recipient: notFound[1]!.trim() };
  const failed = SEND_FAILED.exec(message);
  if (failed) return { kind: 'send-failed', recipient: failed[1]!.trim() };
  const separator = message.indexOf(': ');
  // Names registered through netcat carry their newline; the sender is the text before ": ".
  if (separator > 0) {
    const from = message.slice(0, separator).trim();
    return { kind: 'message', from, text: withoutContinuationPrefixes(message.slice(separator + 2), from) };
  }
  return { kind: 'notice', text: message };
}

/**
 * Our relay starts every line of a multi-line message with the sender (see forwardParts); the
 * course server does not.
 */
function withoutContinuationPrefixes(text: string, from: string): string {
  const lines = text.split('\n');
  const prefix = forwardLine(from, '');
  if (lines.length < 2 || !lines.slice(1).every((line) => line.startsWith(prefix))) return text;
  return [lines[0], ...lines.slice(1).map((line) => line.slice(prefix.length))].join('\n');
}

/**
 * The wire messages that carry `text` to `recipient` through a course server, each within
 * one recv(1024) and each addressed, split at character boundaries.
 */
export function addressedParts(recipient: string, text: string, maxBytes: number = COURSE_RECV_BYTES): string[] {
  const prefix = `${recipient}:`;
  const room = maxBytes - utf8Length(prefix);
  if (room < 8)
    throw new RangeError(`the recipient "${recipient}" is too long to address a message within ${maxBytes} bytes`);
  return splitUtf8(text, room).map((part) => prefix + part);
}

/**
 * The `Sender: Text` messages that carry `text` to a course client, each within one recv(1024).
 * Every line starts with the sender, continuation lines and the parts of a long line included,
 * so no line of a message can pass for a line from someone else; controls other than line
 * breaks and tabs arrive escaped, so nothing acts on the recipient's terminal.
 */
export function forwardParts(sender: string, text: string, maxBytes: number = COURSE_RECV_BYTES): string[] {
  const prefix = forwardLine(sender, '');
  const room = maxBytes - utf8Length(prefix);
  const lines: string[] = [];
  for (const line of escapeControlsKeepLines(text).split('\n')) {
    for (const piece of room >= 8 ? splitUtf8(line, room) : [line]) lines.push(prefix + piece);
  }
  const parts: string[] = [];
  let part = '';
  let partBytes = 0;
  for (const line of lines) {
    const bytes = utf8Length(line);
    if (part !== '' && partBytes + 1 + bytes > maxBytes) {
      parts.push(part);
      part = '';
      partBytes = 0;
    }
    part = part === '' ? line : `${part}\n${line}`;
    partBytes += (partBytes === 0 ? 0 : 1) + bytes;
  }
  parts.push(part);
  return parts;
}

/**
 * A snippet as readable text for course clients: a Markdown code fence whose info string
 * carries the language and, when known, `file:start-end`.
 */
export function snippetToText(snippet: Snippet): string {
  const longestRun = Math.max(2, ...[...snippet.code.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const where =
    snippet.file === undefined
      ? ''
      : ` ${snippet.file}${snippet.lines ? `:${snippet.lines.start}-${snippet.lines.end}` : ''}`;
  // A backtick fence's info string cannot hold a backtick (CommonMark), nor, here, a space.
  const language = snippet.language.replace(/[\s`]+/g, '') || 'text';
  return `${fence}${language}${where}\n${snippet.code}\n${fence}`;
}

const FENCE = /^(`{3,})([^\s`]*)(?: ([^\n]*?)(?::(\d+)-(\d+))?)?\n([\s\S]*)\n\1$/u;

/** The snippet carried by a message text, when the whole text is one code fence. */
export function snippetFromText(text: string): Snippet | undefined {
  const match = FENCE.exec(text.replace(/\r\n/g, '\n').trimEnd());
  if (!match) return undefined;
  const [, , language, file, start, end, code] = match;
  const snippet: Snippet = { code: code!, language: language || 'plaintext' };
  if (file) snippet.file = file;
  if (start && end && Number(start) >= 1 && Number(end) >= Number(start))
    snippet.lines = { start: Number(start), end: Number(end) };
  return snippet;
}
