/**
 * The questions inbox as the teacher's tree view shows it, shaped without VS Code: open questions
 * as rows (oldest first), answered ones folded under one group row; what each row says, its icon,
 * what a screen reader hears and the context value the view's menus are chosen by. Names and
 * questions come from the network: they are plain text with their controls escaped.
 */
import { dayAndClockTime } from '../../protocol/lineTime';
import { escapeControls } from '../../protocol/sanitize';
import { cut } from '../../protocol/text';
import type { Translate } from '../translate';
import type { Answer, Question } from './questionsInbox';

/** Characters of a question shown beside the name; the tooltip has more. */
export const QUESTION_SHOWN = 80;
/** Characters of a question in the tooltip and in what a screen reader hears. */
export const QUESTION_TOLD = 1000;
/**
 * UTF-16 units of a question looked at for its row: a bit more than is told (room for a pair
 * of units per character), so that a long question costs each change of the view no more than
 * a short one.
 */
const QUESTION_READ = 2 * QUESTION_TOLD + 2;
/** The id of the group row of the answered questions. */
export const ANSWERED_GROUP = 'answered';

/** A codicon: a hand asks, a message is a comment, an answered question is checked. */
export type QuestionIcon = 'question' | 'comment' | 'pass';

export interface QuestionNode {
  type: 'question';
  id: string;
  /** The student's name as the relay has it: whose conversation a click opens. */
  name: string;
  label: string;
  description: string;
  tooltip: string;
  accessibilityLabel: string;
  icon: QuestionIcon;
  /** `question` with `open` or `answered`, and `hand` or `message`. */
  contextValue: string;
}

export interface AnsweredGroupNode {
  type: 'group';
  id: typeof ANSWERED_GROUP;
  label: string;
  accessibilityLabel: string;
  children: QuestionNode[];
}

export type InboxNode = QuestionNode | AnsweredGroupNode;

/** The rows: open questions, then the answered ones in one group (absent when there are none). */
export function inboxNodes(questions: readonly Question[], now: Date, t: Translate): InboxNode[] {
  const open = questions.filter((question) => !question.answered).map((question) => questionNode(question, now, t));
  const answered = questions.filter((question) => question.answered).map((question) => questionNode(question, now, t));
  if (answered.length === 0) return open;
  const label = t('Answered ({0})', answered.length);
  return [
    ...open,
    {
      type: 'group',
      id: ANSWERED_GROUP,
      label,
      accessibilityLabel:
        answered.length === 1 ? t('1 answered question') : t('{0} answered questions', answered.length),
      children: answered,
    },
  ];
}

function questionNode(question: Question, now: Date, t: Translate): QuestionNode {
  const name = escapeControls(question.name);
  const text = question.text ? oneLine(question.text) : undefined;
  const time = dayAndClockTime(question.at, now);
  const messages = question.messages ?? 1;
  const asked =
    question.kind === 'hand'
      ? text
        ? t('Hand up {0}: {1}', time, text)
        : t('Hand up {0}, no question given', time)
      : messages > 1
        ? t('{0} messages since {1}, the latest: {2}', messages, time, text ?? '')
        : t('Message {0}: {1}', time, text ?? '');
  const state = question.answered ? answeredText(question.answered.how, t) : t('open');
  const shown = text ? cut(text, QUESTION_SHOWN) : question.kind === 'hand' ? t('hand up') : '';
  const count = messages > 1 ? t('({0} messages)', messages) : '';
  return {
    type: 'question',
    id: question.id,
    name: question.name,
    label: name,
    description: [[shown, count].filter(Boolean).join(' '), time, question.answered ? state : '']
      .filter(Boolean)
      .join(' · '),
    tooltip: [name, asked, state].join('\n'),
    accessibilityLabel: [name, asked, state].join(', '),
    icon: question.answered ? 'pass' : question.kind === 'hand' ? 'question' : 'comment',
    contextValue: ['question', question.answered ? 'answered' : 'open', question.kind].join(' '),
  };
}

/**
 * A question's text on one line, its controls escaped, at most QUESTION_TOLD characters. Only
 * its start is looked at: it is cut before its spaces are folded and its controls escaped.
 */
function oneLine(text: string): string {
  let end = Math.min(text.length, QUESTION_READ);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  const more = /\S/g;
  more.lastIndex = end;
  const line = escapeControls(text.slice(0, end).replace(/\s+/g, ' ').trim());
  return cut(more.test(text) ? `${line}…` : line, QUESTION_TOLD);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function answeredText(how: Answer, t: Translate): string {
  switch (how) {
    case 'replied':
      return t('answered: you replied');
    case 'lowered-by-teacher':
      return t('answered: you lowered the hand');
    case 'lowered':
      return t('answered: the hand went down');
    case 'marked':
      return t('answered: marked by you');
  }
}

/** The view's badge and title: how many questions are open. */
export function inboxSummary(questions: readonly Question[], t: Translate): { open: number; text: string } {
  const open = questions.filter((question) => !question.answered).length;
  return { open, text: open === 1 ? t('1 open question') : t('{0} open questions', open) };
}
