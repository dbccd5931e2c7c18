/**
 * This student's raised hand and mute, above the messages, and the Raise hand button beside
 * Send: pressed, it asks for an optional question in the bar; pressed with the hand up, it
 * lowers the hand.
 */
import { MAX_QUESTION_BYTES } from '../protocol/limits';
import { format, type PanelStrings, type PanelToHost } from '../protocol/panel';
import type { Standing } from '../protocol/classroom';
import { chatTime } from './chatTime';
import { h } from './dom';
import type { PanelState } from './panelState';

const encoder = new TextEncoder();

export class StandingBar {
  readonly element = h('div', { class: 'standing', hidden: true });
  readonly handButton = h('button', { type: 'button', class: 'raise-hand secondary', hidden: true });
  /** The student pressed Raise hand: the question field shows until the hand goes up or they cancel. */
  private askingHand = false;

  constructor(
    private readonly state: PanelState,
    private readonly post: (message: PanelToHost) => void,
  ) {
    this.handButton.addEventListener('click', () => {
      if (this.state.standing.hand) {
        post({ type: 'raiseHand', up: false });
        return;
      }
      this.askingHand = !this.askingHand;
      this.render();
    });
  }

  /** What the relay says of this student's hand and mute now. */
  update(standing: Standing): void {
    this.state.standing = standing;
    if (standing.hand) this.askingHand = false;
    this.render();
  }

  render(): void {
    const s = this.state.strings!;
    const { standing, role, connection } = this.state;
    const student = role === 'student' && connection.kind === 'connected';
    const { handButton } = this;
    handButton.hidden = !student;
    const up = standing.hand !== undefined;
    handButton.textContent = up ? s.lowerHand : s.raiseHand;
    handButton.title = handButton.textContent;
    handButton.setAttribute('aria-pressed', String(up));
    const parts: HTMLElement[] = [];
    if (standing.muted) {
      parts.push(
        h(
          'p',
          { class: 'muted-notice' },
          standing.muted.until ? format(s.mutedUntil, chatTime(standing.muted.until)) : s.muted,
        ),
      );
    }
    if (standing.hand) {
      const { hand } = standing;
      const since = chatTime(hand.at);
      parts.push(
        h(
          'p',
          { class: 'hand-up' },
          hand.question ? format(s.handUpQuestion, since, hand.question) : format(s.handUp, since),
        ),
      );
    } else if (this.askingHand && student) {
      parts.push(this.handForm(s));
    }
    this.element.replaceChildren(...parts);
    this.element.hidden = parts.length === 0;
  }

  /**
   * The question field and its buttons. It takes as many characters as the relay takes bytes
   * (a character is one byte at least); a question of more bytes is refused here, saying so.
   */
  private handForm(s: PanelStrings): HTMLElement {
    const question = h('input', {
      type: 'text',
      class: 'hand-question',
      maxlength: String(MAX_QUESTION_BYTES),
      placeholder: s.handQuestion,
      'aria-label': s.handQuestion,
      'aria-describedby': 'hand-error',
    });
    const error = h('p', { class: 'hand-error', id: 'hand-error', 'aria-live': 'polite', hidden: true });
    const cancel = h('button', { type: 'button', class: 'secondary' }, s.cancel);
    const form = h(
      'form',
      { class: 'hand-form' },
      question,
      h('button', { type: 'submit' }, s.raiseHand),
      cancel,
      error,
    );
    const close = () => {
      this.askingHand = false;
      this.render();
      this.handButton.focus();
    };
    /** The question's UTF-8 bytes when over the limit, and the error shown or taken away. */
    const tooLong = (): boolean => {
      const bytes = encoder.encode(question.value.trim()).length;
      const over = bytes > MAX_QUESTION_BYTES;
      error.hidden = !over;
      error.textContent = over ? format(s.questionTooLong, bytes, MAX_QUESTION_BYTES) : '';
      question.setAttribute('aria-invalid', String(over));
      return over;
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (tooLong()) return;
      const text = question.value.trim();
      this.post(text ? { type: 'raiseHand', up: true, question: text } : { type: 'raiseHand', up: true });
      close();
    });
    question.addEventListener('input', () => {
      if (!error.hidden) tooLong();
    });
    cancel.addEventListener('click', close);
    question.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    queueMicrotask(() => question.focus());
    return form;
  }
}
