/**
 * The extension's parts, put together over the services they are given: VS Code's in the
 * extension (../commands.ts), plain objects in tests. Each part has one job; this only
 * connects them.
 */
import type { ConnectionOptions } from '../../client/connection';
import { ChatSession } from './chatSession';
import { ConnectionLifecycle, type TrustGate } from './connectionLifecycle';
import { Notifier } from './notifier';
import { PanelHost } from './panelHost';
import { SendActions } from './sendActions';
import type { Clock, Disposable, Editors, Log, Notices, PanelEvents, PanelView, Prompts, Storage } from './services';
import type { RelaySettings } from './settings';
import { SnippetActions } from './snippetActions';
import type { Translate } from './translate';

export interface RelayServices {
  t: Translate;
  prompts: Prompts;
  notices: Notices;
  /** Kept across reloads: recent servers, the last name, the history. */
  storage: Storage;
  clock: Clock;
  log: Log;
  editors: Editors;
  trust: TrustGate;
  settings(): RelaySettings;
  saveName(name: string): Promise<void>;
  createPanel(events: PanelEvents): PanelView;
  connectionOptions?: Partial<ConnectionOptions>;
}

export class RelayParts implements Disposable {
  readonly lifecycle: ConnectionLifecycle;
  readonly session: ChatSession;
  readonly panel: PanelHost;
  readonly send: SendActions;
  readonly snippets: SnippetActions;
  readonly notifier: Notifier;
  private readonly subscriptions: Disposable[];

  constructor(services: RelayServices) {
    const { t } = services;
    const openChat = (conversation?: string) => this.panel.open(conversation);
    this.lifecycle = new ConnectionLifecycle({ ...services, showChat: () => openChat() });
    this.session = new ChatSession(this.lifecycle, services);
    this.send = new SendActions({ ...services, lifecycle: this.lifecycle, session: this.session, openChat });
    this.snippets = new SnippetActions({ ...services, lifecycle: this.lifecycle, session: this.session, openChat });
    this.panel = new PanelHost({
      t,
      log: services.log,
      createPanel: services.createPanel,
      session: this.session,
      connectionView: () => this.lifecycle.view(),
      actions: {
        send: (conversation, text) => this.send.sendFromPanel(conversation, text),
        snippet: (action, itemId) => this.snippets.run(action, itemId),
        connect: () => this.lifecycle.connect(),
        newConversation: () => this.send.messagePeer(),
      },
    });
    this.notifier = new Notifier({ ...services, chatVisible: () => this.panel.visible, openChat });
    this.subscriptions = [
      this.lifecycle.onEvent((event) => {
        if (event.type === 'switching' && event.show) openChat();
      }),
      this.session.onUpdate((update) => {
        this.panel.update(update);
        this.notifier.update(update);
      }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.lifecycle.dispose();
    this.session.dispose();
    this.panel.dispose();
  }
}
