/** Code between editors and the chat: sending the selection, and a received snippet inserted, opened or copied. */
import type { ChatSession } from './chatSession';
import type { ConnectionLifecycle } from '../connection/connectionLifecycle';
import type { Editors, Notices, Prompts } from '../ports';
import { snippetFromSelection, snippetTooLarge } from './snippets';
import type { Translate } from '../translate';

export type SnippetAction = 'insert' | 'open' | 'copy';

export interface SnippetActionsServices {
  t: Translate;
  editors: Editors;
  prompts: Pick<Prompts, 'peer'>;
  notices: Pick<Notices, 'warning' | 'error' | 'flash'>;
  lifecycle: Pick<ConnectionLifecycle, 'requireConnection'>;
  session: Pick<ChatSession, 'sendSnippet' | 'find' | 'knownPeers' | 'online' | 'limits'>;
  openChat(conversation: string): void;
}

export class SnippetActions {
  constructor(private readonly services: SnippetActionsServices) {}

  /** "Relay: Send Selection to Peer…" */
  async sendSelection(): Promise<void> {
    const { t, notices, session } = this.services;
    const selection = this.services.editors.selection();
    if (!selection) {
      void notices.warning(t('Open a file and select the code you want to send.'));
      return;
    }
    const snippet = snippetFromSelection(selection);
    if (snippet.code.trim() === '') {
      void notices.warning(t('The selection is empty: select some code first.'));
      return;
    }
    // As the relay announced it; before the first connect, the protocol's default.
    const tooLarge = snippetTooLarge(snippet, session.limits().snippetBytes, t);
    if (tooLarge) {
      void notices.error(tooLarge);
      return;
    }
    if (!(await this.services.lifecycle.requireConnection())) return;
    const to = await this.services.prompts.peer(
      session.online(),
      session.knownPeers(),
      t('Relay: Send Selection to Peer'),
    );
    if (!to) return;
    const item = session.sendSnippet(to, snippet);
    if (item) this.services.openChat(item.conversation);
  }

  /** A button on a snippet in the panel. */
  async run(action: SnippetAction, itemId: string): Promise<void> {
    const { t, editors, notices } = this.services;
    const item = this.services.session.find(itemId);
    if (item?.content.kind !== 'snippet') return;
    const { snippet } = item.content;
    switch (action) {
      case 'copy':
        await editors.copy(snippet.code);
        notices.flash(t('Snippet copied'), 2000);
        return;
      case 'open':
        await editors.open(snippet.code, snippet.language);
        return;
      case 'insert':
        if (!(await editors.insert(snippet.code)))
          void notices.warning(t('Open an editor first: the snippet is inserted at its cursor.'));
    }
  }
}
