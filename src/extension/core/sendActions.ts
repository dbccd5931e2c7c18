/** Writing to someone from a command or the panel: asks whom and what, then hands it to the chat session. */
import { DEFAULT_LIMITS } from '../../protocol/framed';
import { EVERYONE } from '../../protocol/panel';
import { ChatModel } from './chatModel';
import type { ChatSession } from './chatSession';
import type { ConnectionLifecycle } from './connectionLifecycle';
import type { Prompts } from './services';
import type { Translate } from './translate';

export interface SendActionsServices {
  t: Translate;
  prompts: Pick<Prompts, 'peer' | 'text' | 'pickMany' | 'line'>;
  lifecycle: Pick<ConnectionLifecycle, 'requireConnection' | 'state'>;
  session: Pick<ChatSession, 'sendText' | 'broadcast' | 'knownPeers' | 'online' | 'labelOf'>;
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
    const text = await prompts.text(t('Message to {0}', to), t('Your message to {0}', to), DEFAULT_LIMITS.textBytes);
    if (text === undefined) return;
    session.sendText(to, text);
    this.services.openChat(ChatModel.conversationOf(to));
  }

  /** "Relay: Broadcast Hint…" */
  async broadcastHint(): Promise<void> {
    const { t, prompts } = this.services;
    if (!(await this.services.lifecycle.requireConnection())) return;
    const text = await prompts.text(t('Relay: Broadcast Hint'), t('A hint for everyone in the class'), DEFAULT_LIMITS.textBytes);
    if (text === undefined) return;
    await this.broadcast(text);
  }

  /** What the panel's composer sends to a conversation. */
  async sendFromPanel(conversation: string, text: string): Promise<void> {
    if (!(await this.services.lifecycle.requireConnection())) return;
    if (conversation === EVERYONE) await this.broadcast(text);
    else this.services.session.sendText(this.services.session.labelOf(conversation), text);
  }

  private async broadcast(text: string): Promise<void> {
    const { t, prompts, session } = this.services;
    const state = this.services.lifecycle.state;
    if (state.kind === 'connected' && state.dialect !== 'relay') {
      // A course server has no broadcast: one message to each classmate chosen here.
      const known = session.knownPeers();
      const picked = known.length > 0
        ? await prompts.pickMany(known, t('Relay: Broadcast Hint'), t('This server cannot broadcast: send the hint to each of these'))
        : undefined;
      const names = picked ?? (await prompts.line(t('Relay: Broadcast Hint'), t('This server cannot broadcast. Names to send the hint to, separated by commas')))
        ?.split(',').map((name) => name.trim()).filter(Boolean);
      for (const name of names ?? []) session.sendText(name, text);
      return;
    }
    session.broadcast(text);
  }
}
