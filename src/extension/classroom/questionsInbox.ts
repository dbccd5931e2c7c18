/**
 * The teacher's questions inbox, without VS Code: raised hands (from the relay's rosters) and
 * direct messages from students (from the chat) in one list, each open until it is answered.
 * A question is answered when the teacher writes to that student after it, when the hand goes
 * down (lowered by the teacher or by the student), or when the teacher marks it so. Answered
 * questions stay, so the teacher can look back; the list is bounded, oldest answered dropped first.
 */
import type { Roster } from '../../protocol/classroom';
import { nameKey } from '../../protocol/nameSkeleton';

/** Questions kept at most; past it the oldest answered ones go first, then the oldest open ones. */
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
  /** When it was asked, ISO 8601. */
  at: string;
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
  /** Open hands by student: the relay shows one hand per student. */
  private readonly openHands = new Map<string, string>();

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
      const question = this.questions.get(id);
      if (entry?.hand && question && entry.hand.at === question.at) continue;
      if (!entry && !complete) continue;
      this.openHands.delete(key);
      if (question && !question.answered) question.answered = { how: 'lowered', at: now.toISOString() };
    }
    for (const [key, entry] of listed) {
      if (!entry.hand || entry.role === 'teacher') continue;
      const id = `hand/${key}/${entry.hand.at}`;
      if (this.questions.has(id)) {
        // Answered by a reply while the hand stays up: it stays answered, and is no open hand any more.
        continue;
      }
      const question: Question = { id, kind: 'hand', name: entry.name, text: entry.hand.question, at: entry.hand.at };
      this.add(question);
      this.openHands.set(key, id);
      raised.push(question);
    }
    return raised;
  }

  /** A direct message from a student to this teacher. */
  message(message: StudentMessage): Question | undefined {
    const id = `message/${message.id}`;
    if (this.questions.has(id)) return undefined;
    const question: Question = { id, kind: 'message', name: message.from, text: message.text, at: message.at };
    this.add(question);
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
  }

  private add(question: Question): void {
    this.questions.set(question.id, question);
    if (this.questions.size <= this.max) return;
    const answered = [...this.questions.values()].filter((kept) => kept.answered);
    const victims = (answered.length > 0 ? answered : [...this.questions.values()]).sort((a, b) =>
      a.answered && b.answered ? a.answered.at.localeCompare(b.answered.at) || byAsked(a, b) : byAsked(a, b),
    );
    for (const victim of victims.slice(0, this.questions.size - this.max)) {
      this.questions.delete(victim.id);
      if (victim.kind === 'hand' && this.openHands.get(nameKey(victim.name)) === victim.id)
        this.openHands.delete(nameKey(victim.name));
    }
  }
}

function byAsked(a: Question, b: Question): number {
  return a.at.localeCompare(b.at) || a.id.localeCompare(b.id);
}
