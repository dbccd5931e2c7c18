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
  const text = question.text ? escapeControls(question.text.replace(/\s+/g, ' ').trim()) : undefined;
  const time = dayAndClockTime(question.at, now);
  const asked =
    question.kind === 'hand'
      ? text
        ? t('Hand up {0}: {1}', time, cut(text, QUESTION_TOLD))
        : t('Hand up {0}, no question given', time)
      : t('Message {0}: {1}', time, cut(text ?? '', QUESTION_TOLD));
  const state = question.answered ? answeredText(question.answered.how, t) : t('open');
  const shown = text ? cut(text, QUESTION_SHOWN) : question.kind === 'hand' ? t('hand up') : '';
  return {
    type: 'question',
    id: question.id,
    name: question.name,
    label: name,
    description: [shown, time, question.answered ? state : ''].filter(Boolean).join(' · '),
    tooltip: [name, asked, state].join('\n'),
    accessibilityLabel: [name, asked, state].join(', '),
    icon: question.answered ? 'pass' : question.kind === 'hand' ? 'question' : 'comment',
    contextValue: ['question', question.answered ? 'answered' : 'open', question.kind].join(' '),
  };
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
