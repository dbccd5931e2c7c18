/**
 * A notification for the teacher when a hand goes up while the chat is out of view, as the
 * relay.notifications setting allows (a raised hand counts as a message to the teacher: shown
 * with `all`, not with `hints` or `off`). Hands that go up together, or within HAND_NOTICE_MS of
 * the last notification, are told in one, so thirty hands are not thirty notifications.
 */
import { escapeControls } from '../../protocol/sanitize';
import type { Clock, Disposable, Notices } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import type { Question } from './questionsInbox';

/** At most one notification of raised hands this often. */
export const HAND_NOTICE_MS = 5000;
/** Names listed in a notification of several hands. */
const NAMES_LISTED = 5;

/** Whether a hand that went up now is worth a notification. */
export function handNoticeWanted(level: RelaySettings['notifications'], chatVisible: boolean): boolean {
  return level === 'all' && !chatVisible;
}

/** The notification's text for hands that went up: one student and the question, or the names of several. */
export function handNoticeText(hands: readonly Question[], t: Translate): string {
  if (hands.length === 1) {
    const hand = hands[0]!;
    const name = escapeControls(hand.name);
    // The roster's question is cut already (ROSTER_QUESTION_CHARACTERS).
    return hand.text
      ? t('{0} raised their hand: {1}', name, escapeControls(hand.text))
      : t('{0} raised their hand.', name);
  }
  const names = hands.slice(0, NAMES_LISTED).map((hand) => escapeControls(hand.name));
  const more = hands.length - names.length;
  return more > 0
    ? t('{0} hands went up: {1} and {2} more.', hands.length, names.join(', '), more)
    : t('{0} hands went up: {1}.', hands.length, names.join(', '));
}

export interface HandNoticeServices {
  t: Translate;
  notices: Pick<Notices, 'info'>;
  clock: Clock;
  settings(): RelaySettings;
  chatVisible(): boolean;
  /** Opens the chat on the conversation with the student called `name`. */
  openConversation(name: string): void;
  /** Shows the questions inbox. */
  showQuestions(): void;
}

export class HandNotifier implements Disposable {
  private waiting: Question[] = [];
  private lastShown = -Infinity;
  private timer: Disposable | undefined;

  constructor(private readonly services: HandNoticeServices) {}

  /** Hands that just went up. */
  raised(hands: readonly Question[]): void {
    if (hands.length === 0) return;
    this.waiting.push(...hands);
    this.pump();
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.waiting = [];
  }

  private pump(): void {
    const { clock } = this.services;
    if (this.timer) return;
    if (!handNoticeWanted(this.services.settings().notifications, this.services.chatVisible())) {
      this.waiting = [];
      return;
    }
    const now = clock.now().getTime();
    const wait = this.lastShown + HAND_NOTICE_MS - now;
    if (wait > 0) {
      this.timer = clock.after(wait, () => {
        this.timer = undefined;
        this.pump();
      });
      return;
    }
    const hands = this.waiting.splice(0);
    if (hands.length === 0) return;
    this.lastShown = now;
    this.show(hands);
  }

  private show(hands: Question[]): void {
    const { t, notices } = this.services;
    const one = hands.length === 1 ? hands[0] : undefined;
    const action = one ? t('Open Conversation') : t('Show Questions');
    void notices.info(handNoticeText(hands, t), action).then((choice) => {
      if (choice !== action) return;
      if (one) this.services.openConversation(one.name);
      else this.services.showQuestions();
    });
  }
}
