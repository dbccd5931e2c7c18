/**
 * The teacher's questions inbox, without VS Code: raised hands (from the relay's rosters) and
 * direct messages from students (from the chat) in one list, each open until it is answered.
 * A question is answered when the teacher writes to that student after it, when the hand goes
 * down (lowered by the teacher or by the student), or when the teacher marks it so. Answered
 * questions stay, so the teacher can look back. A student has at most one open hand and one open
 * message question: what they write while it is open joins it, so a student writing fast (a muted
 * one may still write to teachers) fills no more of the list than one who writes once.
 */
import type { Roster } from '../../protocol/classroom';
import { nameKey } from '../../protocol/nameSkeleton';

/**
 * Questions kept at most; past it the oldest answered ones go first, then the oldest open message
 * questions. An open hand goes only to make room for another hand, when nothing else is left.
 */
export const MAX_QUESTIONS = 500;

/** How a question came to be answered. */
export type Answer =
  /** The teacher wrote to the student after it. */
  | 'replied'
  /** The teacher lowered the hand. */
  | 'lowered-by-teacher'
  /** The student lowered the hand (or left the class with it up). */
  | 'lowered'
  /** The teacher marked it answered. */
  | 'marked';

export interface Question {
  /** Stable while the question is kept: a hand by its student and when it went up, a message by its item. */
  id: string;
  kind: 'hand' | 'message';
  /** The student's name as the relay has it. */
  name: string;
  /** The question as written: a hand's question (maybe none), a message's text. */
  text: string | undefined;
  /** When it was asked, ISO 8601; a message question's first message, which keeps its place in the list. */
  at: string;
  /** A message question: how many messages it holds (more than one: `text` is the latest). */
  messages?: number;
  answered?: { how: Answer; at: string };
}

/** A direct message from a student, as the chat received it. */
export interface StudentMessage {
  id: string;
  from: string;
  text: string;
  at: string;
}

export class QuestionsInbox {
  private readonly questions = new Map<string, Question>();
  /**
   * The hand up by student (the relay shows one each), as the last roster that listed it had it:
   * kept while the hand stays up, even when its question is answered or was dropped, so the
   * next roster does not raise it again.
   */
  private readonly openHands = new Map<string, string>();
  /** Each student's open message question, and the id of the latest message it holds. */
  private readonly openMessages = new Map<string, { id: string; latest: string }>();

  constructor(private readonly max = MAX_QUESTIONS) {}

  /** Open questions first (oldest first), then answered ones (most recently answered first). */
  list(): Question[] {
    const all = [...this.questions.values()];
    const open = all.filter((question) => !question.answered).sort(byAsked);
    const answered = all
      .filter((question) => question.answered)
      .sort((a, b) => b.answered!.at.localeCompare(a.answered!.at) || byAsked(b, a));
    return [...open, ...answered];
  }

  get openCount(): number {
    let count = 0;
    for (const question of this.questions.values()) if (!question.answered) count++;
    return count;
  }

  get size(): number {
    return this.questions.size;
  }

  find(id: string): Question | undefined {
    return this.questions.get(id);
  }

  /**
   * A roster from the relay: hands that went up become questions (returned, for a notification),
   * hands no longer up are answered. A hand the roster leaves out (a partial roster of a large
   * class) is left as it is.
   */
  roster(roster: Roster, now: Date): Question[] {
    const raised: Question[] = [];
    const listed = new Map(roster.entries.map((entry) => [nameKey(entry.name), entry]));
    const complete = roster.entries.length >= roster.total;
    for (const [key, id] of [...this.openHands]) {
      const entry = listed.get(key);
      if (entry?.hand && handId(key, entry.hand.at) === id) continue;
      if (!entry && !complete) continue;
      this.openHands.delete(key);
      const question = this.questions.get(id);
      if (question && !question.answered) question.answered = { how: 'lowered', at: now.toISOString() };
    }
    for (const [key, entry] of listed) {
      if (!entry.hand || entry.role === 'teacher') continue;
      const id = handId(key, entry.hand.at);
      // Answered by a reply while the hand stays up, or dropped: it is not raised again.
      if (this.openHands.get(key) === id || this.questions.has(id)) continue;
      const question: Question = { id, kind: 'hand', name: entry.name, text: entry.hand.question, at: entry.hand.at };
      this.openHands.set(key, id);
      if (this.add(question)) raised.push(question);
    }
    return raised;
  }

  /**
   * A direct message from a student to this teacher: a new question, or joined to the student's
   * open one. Returns the question it changed (none for a message already seen, or one the list
   * has no room for).
   */
  message(message: StudentMessage): Question | undefined {
    const key = nameKey(message.from);
    const open = this.openMessages.get(key);
    const joined = open && this.questions.get(open.id);
    if (open && joined && !joined.answered) {
      if (open.id === `message/${message.id}` || open.latest === message.id) return undefined;
      joined.text = message.text;
      joined.messages = (joined.messages ?? 1) + 1;
      open.latest = message.id;
      return joined;
    }
    const id = `message/${message.id}`;
    if (this.questions.has(id)) return undefined;
    const question: Question = { id, kind: 'message', name: message.from, text: message.text, at: message.at };
    if (!this.add(question)) return undefined;
    this.openMessages.set(key, { id, latest: message.id });
    return question;
  }

  /** The teacher wrote to `name` at `at`: what that student asked before it is answered. */
  replied(name: string, at: string): boolean {
    const key = nameKey(name);
    let changed = false;
    for (const question of this.questions.values()) {
      if (question.answered || nameKey(question.name) !== key || question.at > at) continue;
      question.answered = { how: 'replied', at };
      changed = true;
    }
    return changed;
  }

  /** The teacher lowered the hand of `name`: its question stays, answered. */
  handLoweredByTeacher(name: string, now: Date): boolean {
    const key = nameKey(name);
    let changed = false;
    for (const question of this.questions.values()) {
      if (question.kind !== 'hand' || nameKey(question.name) !== key) continue;
      // The roster may have said the hand went down before the relay's answer to the teacher came.
      if (question.answered && question.answered.how !== 'lowered') continue;
      question.answered = { how: 'lowered-by-teacher', at: question.answered?.at ?? now.toISOString() };
      changed = true;
    }
    this.openHands.delete(key);
    return changed;
  }

  /** The teacher marked the question answered. */
  mark(id: string, now: Date): boolean {
    const question = this.questions.get(id);
    if (!question || question.answered) return false;
    question.answered = { how: 'marked', at: now.toISOString() };
    return true;
  }

  /** Another relay or another name: its questions are not this one's. */
  clear(): void {
    this.questions.clear();
    this.openHands.clear();
    this.openMessages.clear();
  }

  /**
   * Keeps `question`, making room past the bound: the oldest answered questions go first, then
   * the oldest open message questions, and only for a hand the oldest open hands. Returns whether
   * `question` itself stayed.
   */
  private add(question: Question): boolean {
    this.questions.set(question.id, question);
    let over = this.questions.size - this.max;
    if (over <= 0) return true;
    const all = [...this.questions.values()];
    const answered = all
      .filter((kept) => kept.answered)
      .sort((a, b) => a.answered!.at.localeCompare(b.answered!.at) || byAsked(a, b));
    const messages = all.filter((kept) => !kept.answered && kept.kind === 'message').sort(byAsked);
    const hands = question.kind === 'hand' ? all.filter((kept) => !kept.answered && kept.kind === 'hand') : [];
    for (const victim of [...answered, ...messages, ...hands.sort(byAsked)]) {
      if (over-- <= 0) break;
      this.questions.delete(victim.id);
    }
    return this.questions.has(question.id);
  }
}

function handId(key: string, at: string): string {
  return `hand/${key}/${at}`;
}

function byAsked(a: Question, b: Question): number {
  return a.at.localeCompare(b.at) || a.id.localeCompare(b.id);
}
