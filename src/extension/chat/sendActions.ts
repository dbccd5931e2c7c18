/** Writing to someone from a command or the panel: asks whom and what, then hands it to the chat session. */
import { EVERYONE } from '../../protocol/panel';
import type { ChatSession } from './chatSession';
import type { Classroom } from '../classroom/classroom';
import type { ConnectionLifecycle } from '../connection/connectionLifecycle';
import type { Editors, Notices, Prompts } from '../ports';
import { hintConfirmation, keptForLateJoiners, type HintContent } from './hintConfirmation';
import { snippetFromSelection, snippetTooLarge } from './snippets';
import type { Translate } from '../translate';

export interface SendActionsServices {
  t: Translate;
  prompts: Pick<Prompts, 'peer' | 'text' | 'pickMany' | 'line'>;
  notices: Pick<Notices, 'warning' | 'error' | 'confirm' | 'info'>;
  editors: Pick<Editors, 'selection'>;
  lifecycle: Pick<ConnectionLifecycle, 'requireConnection' | 'state' | 'session'>;
  session: Pick<
    ChatSession,
    'sendText' | 'broadcast' | 'broadcastSnippet' | 'knownPeers' | 'online' | 'labelOf' | 'limits' | 'dialect'
  >;
  classroom: Pick<Classroom, 'isTeacher' | 'raiseHand' | 'roster'>;
  openChat(conversation: string): void;
}

export class SendActions {
  constructor(private readonly services: SendActionsServices) {}

  /** "Relay: Message Peer…" */
  async messagePeer(): Promise<void> {
    const { t, prompts, session } = this.services;
    if (!(await this.services.lifecycle.requireConnection())) return;
    const to = await prompts.peer(session.online(), session.knownPeers(), t('Relay: Message Peer'));
    if (!to) return;
    const text = await prompts.text(t('Message to {0}', to), t('Your message to {0}', to), session.limits().textBytes);
    if (text === undefined) return;
    const item = session.sendText(to, text);
    if (item) this.services.openChat(item.conversation);
  }

  /**
   * "Relay: Broadcast Hint…": a teacher's selection in the editor goes out as a hint with code,
   * otherwise the hint is asked for; before it goes, the teacher sees what and to how many. On our
   * relay only teachers send hints, so a student is told so before typing anything; a course
   * server has no roles and no broadcast (see broadcast()).
   */
  async broadcastHint(): Promise<void> {
    const { t, prompts, notices, classroom, lifecycle, session } = this.services;
    if (!(await lifecycle.requireConnection())) return;
    // While reconnecting too: the server is the one the connection came up with.
    if (session.dialect === 'relay' && !classroom.isTeacher) {
      const raise = t('Raise Hand');
      const choice = await notices.warning(
        t('Only teachers send hints to everyone. To ask your teacher something, raise your hand or write to them.'),
        raise,
      );
      if (choice === raise) await classroom.raiseHand();
      return;
    }
    const selection = classroom.isTeacher ? this.services.editors.selection() : undefined;
    if (selection && !selection.empty && selection.text.trim() !== '') {
      await this.snippetHint(snippetFromSelection(selection));
      return;
    }
    const text = await prompts.text(
      t('Relay: Broadcast Hint'),
      t('A hint for everyone in the class'),
      session.limits().textBytes,
    );
    if (text === undefined) return;
    if (session.dialect === 'relay' && !(await this.confirmHint({ kind: 'text', text }))) return;
    await this.broadcast(text);
  }

  /** Students online now: the roster's count, else everyone else the relay says is online. */
  private students(): number {
    return this.services.classroom.roster?.total ?? this.services.session.online().length;
  }

  /** Shows what the hint says and whom it reaches; true when the teacher sends it. */
  private async confirmHint(content: HintContent): Promise<boolean> {
    const { t, notices } = this.services;
    const { message, detail, send } = hintConfirmation(content, this.students(), t);
    return (await notices.confirm(message, detail, send)) === send;
  }

  /** A hint to an empty class reached nobody yet: the relay keeps it for those who join. */
  private sentHint(): void {
    if (this.students() === 0) void this.services.notices.info(keptForLateJoiners(this.services.t));
  }

  private async snippetHint(snippet: ReturnType<typeof snippetFromSelection>): Promise<void> {
    const { t, notices, lifecycle } = this.services;
    const tooLarge = snippetTooLarge(snippet, this.services.session.limits().snippetBytes, t);
    if (tooLarge) {
      void notices.error(tooLarge);
      return;
    }
    if (!(await this.confirmHint({ kind: 'snippet', snippet }))) return;
    if (!(await lifecycle.requireConnection())) return;
    if (!this.services.session.broadcastSnippet(snippet)) return;
    this.sentHint();
    this.services.openChat(EVERYONE);
  }

  /** What the panel's composer sends to a conversation. */
  async sendFromPanel(conversation: string, text: string): Promise<void> {
    if (!(await this.services.lifecycle.requireConnection())) return;
    if (conversation === EVERYONE) await this.broadcast(text);
    else this.services.session.sendText(this.services.session.labelOf(conversation), text);
  }

  private async broadcast(text: string): Promise<void> {
    const { t, prompts, session } = this.services;
    const dialect = session.dialect;
    if (dialect === 'course' || dialect === 'course-lan') {
      // A course server has no broadcast (also while reconnecting to it): one message to each classmate chosen here.
      const known = session.knownPeers();
      // Escape in the pick cancels; only without anyone to pick from are the names typed.
      const names =
        known.length > 0
          ? await prompts.pickMany(
              known,
              t('Relay: Broadcast Hint'),
              t('This server cannot broadcast: send the hint to each of these'),
            )
          : (
              await prompts.line(
                t('Relay: Broadcast Hint'),
                t('This server cannot broadcast. Names to send the hint to, separated by commas'),
              )
            )
              ?.split(',')
              .map((name) => name.trim())
              .filter(Boolean);
      for (const name of names ?? []) session.sendText(name, text);
      return;
    }
    if (session.broadcast(text) && dialect === 'relay') this.sentHint();
  }
}
