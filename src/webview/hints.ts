/**
 * The hints pinned for a student: a teacher's messages to everyone, newest first, without those
 * the student dismissed or a teacher cleared.
 */
import { KEPT_HINTS } from '../protocol/limits';
import { EVERYONE, type ChatItem } from '../protocol/panel';
import { DISMISSED_LIMIT } from './viewState';

export function isHint(item: ChatItem): boolean {
  return item.conversation === EVERYONE && item.teacher === true && item.direction === 'in' && !item.notice;
}

export class HintBoard {
  /** Oldest first; as many as the relay keeps for a lesson (KEPT_HINTS). */
  private hints: ChatItem[] = [];

  /** `dismissed` is the view state's list, changed in place so that saving it saves this. */
  constructor(private readonly dismissed: string[]) {}

  reset(items: readonly ChatItem[]): void {
    this.hints = [];
    for (const item of items) if (isHint(item)) this.hints.push(item);
    this.hints = this.hints.slice(-KEPT_HINTS);
  }

  /** Takes a new or changed item; says whether the strip changed. */
  offer(item: ChatItem): boolean {
    if (!isHint(item)) return false;
    const index = this.hints.findIndex((hint) => hint.id === item.id);
    if (index !== -1) this.hints[index] = item;
    else {
      this.hints.push(item);
      if (this.hints.length > KEPT_HINTS) this.hints.shift();
    }
    return !this.dismissed.includes(item.id);
  }

  /** Newest first. */
  visible(): ChatItem[] {
    const hidden = new Set(this.dismissed);
    return this.hints.filter((hint) => !hidden.has(hint.id)).reverse();
  }

  dismiss(id: string): void {
    if (this.dismissed.includes(id)) return;
    this.dismissed.push(id);
    if (this.dismissed.length > DISMISSED_LIMIT) this.dismissed.splice(0, this.dismissed.length - DISMISSED_LIMIT);
  }

  /** A teacher cleared the hints of the lesson: every hint so far stays away, after a reload too. */
  clear(): void {
    for (const hint of this.hints) this.dismiss(hint.id);
    this.hints = [];
  }
}
