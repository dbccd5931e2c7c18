/**
 * The composer: whom to write to, the message, and the note under it (how to send, or why a
 * message cannot go). Enter sends, Shift+Enter starts a new line; "+" (Alt+N) asks the host for a
 * new conversation. Drafts are kept per conversation in the view state.
 */
import { EVERYONE, format, type PanelStrings, type PanelToHost } from '../protocol/panel';
import { h, label } from './dom';
import type { PanelState } from './panelState';

const mac = /Mac|iPhone|iPad/.test(navigator.platform);
/** The panel's own shortcut for "+": a new conversation. */
export const NEW_CONVERSATION_KEY = mac ? '⌥N' : 'Alt+N';

export interface ComposerActions {
  post(message: PanelToHost): void;
  /** Shows a conversation: a student who wrote while the hints were in view sees where the message went. */
  select(conversation: string): void;
  /** Saves the view state, drafts and all. */
  persist(): void;
}

export class Composer {
  readonly element: HTMLFormElement;
  private readonly recipient = h('select', { id: 'recipient', class: 'recipient' });
  private readonly recipientLabel = h('label', { for: 'recipient' });
  private readonly newConversation = h('button', { type: 'button', class: 'secondary icon new-conversation' }, '+');
  private readonly input = h('textarea', { id: 'composer-input', rows: '3' });
  private readonly sendButton = h('button', { type: 'submit', class: 'send' });
  private readonly note = h('p', { class: 'note', id: 'composer-note', 'aria-live': 'polite' });
  private readonly encoder = new TextEncoder();
  /** The note says why the message could not go, until the person edits it or goes elsewhere. */
  private noteError = false;

  /** `handButton`: the raised hand's button, beside Send. */
  constructor(
    private readonly state: PanelState,
    handButton: HTMLElement,
    private readonly actions: ComposerActions,
  ) {
    this.element = h(
      'form',
      { class: 'composer' },
      h('div', { class: 'composer-row' }, this.recipientLabel, this.recipient, this.newConversation),
      this.input,
      h(
        'div',
        { class: 'composer-row wrap' },
        this.note,
        h('span', { class: 'composer-buttons' }, handButton, this.sendButton),
      ),
    );
    this.listen();
  }

  /** The composer's own words, from the host's strings. */
  renderLabels(s: PanelStrings): void {
    this.recipientLabel.textContent = s.to;
    label(this.newConversation, `${s.newConversation} (${NEW_CONVERSATION_KEY})`);
    this.input.placeholder = s.composerPlaceholder;
    this.input.setAttribute('aria-label', s.composerPlaceholder);
    this.input.setAttribute('aria-describedby', 'composer-note');
    this.sendButton.textContent = s.send;
  }

  renderRecipients(): void {
    const s = this.state.strings!;
    const to = this.state.recipient();
    const listed = this.state.isTeacher() ? this.state.conversations : this.state.persons();
    const options = listed.map((conversation) =>
      h('option', { value: conversation.id, selected: conversation.id === to }, conversation.label),
    );
    if (to === undefined)
      options.unshift(h('option', { value: '', disabled: true, selected: true }, s.chooseRecipient));
    // A conversation just opened for someone new (Message Peer) is not listed until its first message.
    else if (!listed.some((conversation) => conversation.id === to))
      options.unshift(h('option', { value: to, selected: true }, this.state.labelOf(to)));
    this.recipient.replaceChildren(...options);
  }

  renderNote(): void {
    const s = this.state.strings;
    if (this.noteError || !s) return;
    const to = this.state.recipient();
    this.note.classList.remove('error');
    this.note.textContent =
      to === undefined
        ? format(s.guide, NEW_CONVERSATION_KEY)
        : this.state.view.selected === EVERYONE && to !== EVERYONE
          ? format(s.hintsReadOnly, this.state.labelOf(to))
          : s.composerHint;
  }

  /** Keeps what is typed as the draft of the conversation in view, before another one shows. */
  keepDraft(): void {
    this.state.view.drafts[this.state.view.selected] = this.input.value;
  }

  /** Shows the draft of the conversation in view. */
  showDraft(): void {
    this.input.value = this.state.view.drafts[this.state.view.selected] ?? '';
  }

  /** Another conversation is in view: a note about why a message could not go is about the last one. */
  forgetError(): void {
    this.noteError = false;
  }

  focus(): void {
    this.input.focus();
  }

  private showError(text: string): void {
    this.noteError = true;
    this.note.textContent = text;
    this.note.classList.add('error');
  }

  private send(): void {
    const { state } = this;
    const s = state.strings;
    if (!s) return;
    const text = this.input.value;
    if (text.trim() === '') return;
    const to = state.recipient();
    if (to === undefined) {
      this.showError(format(s.guide, NEW_CONVERSATION_KEY));
      return;
    }
    const bytes = this.encoder.encode(text).length;
    if (bytes > state.maxTextBytes) {
      this.showError(format(s.tooLong, bytes, state.maxTextBytes));
      return;
    }
    this.actions.post({ type: 'send', conversation: to, text });
    this.input.value = '';
    state.view.drafts[state.view.selected] = '';
    this.noteError = false;
    // A student writing while the hints are in view sees the conversation the message went to.
    if (to !== state.view.selected) this.actions.select(to);
    else this.renderNote();
    this.actions.persist();
  }

  private listen(): void {
    const { input, actions } = this;
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    input.addEventListener('keydown', (event) => {
      // While an input method is composing (Japanese, Chinese, …) Enter confirms the composition.
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.send();
      }
    });
    input.addEventListener('input', () => {
      this.keepDraft();
      if (this.noteError && this.encoder.encode(input.value).length <= this.state.maxTextBytes) {
        this.noteError = false;
        this.renderNote();
      }
      actions.persist();
    });
    this.recipient.addEventListener('change', () => {
      if (this.recipient.value) actions.select(this.recipient.value);
    });
    this.newConversation.addEventListener('click', () => actions.post({ type: 'newConversation' }));
    document.addEventListener('keydown', (event) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyN') {
        event.preventDefault();
        actions.post({ type: 'newConversation' });
      }
    });
  }
}
