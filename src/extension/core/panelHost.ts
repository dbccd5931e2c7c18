/**
 * The host side of the chat panel: opens or takes over the panel, answers what it asks, keeps
 * it up to date with the chat session, and remembers which conversation it shows.
 */
import { EVERYONE, PANEL_KEEP, parsePanelMessage, type ChatSnapshot, type ConnectionView, type PanelToHost, type Standing } from '../../protocol/panel';
import type { ChatSession, ChatUpdate } from './chatSession';
import type { ClassroomUpdate } from './classroom';
import { panelStrings } from './panelStrings';
import type { Disposable, Log, PanelEvents, PanelView } from './services';
import type { Translate } from './translate';

/** What the panel's buttons and composer ask for. */
export interface PanelActions {
  send(conversation: string, text: string): Promise<void>;
  snippet(action: 'insert' | 'open' | 'copy', itemId: string): Promise<void>;
  connect(): Promise<void>;
  newConversation(): Promise<void>;
  /** The panel's own button: up with the question typed there, or down. */
  raiseHand(up: boolean, question: string | undefined): Promise<void>;
  /** "Reconnect now" while waiting to reconnect. */
  reconnectNow(): void;
}

export interface PanelHostServices {
  t: Translate;
  log: Pick<Log, 'warn'>;
  /** Creates a new panel that reports to `events`. */
  createPanel(events: PanelEvents): PanelView;
  session: Pick<ChatSession, 'recent' | 'older' | 'conversations' | 'setViewing' | 'limits'>;
  connectionView(): ConnectionView;
  /** This person's raised hand and mute. */
  standing(): Standing;
  actions: PanelActions;
}

export class PanelHost implements Disposable {
  private panel: PanelView | undefined;
  private selected = EVERYONE;

  constructor(private readonly services: PanelHostServices) {}

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel, opening it if needed, on `conversation` if given. */
  open(conversation?: string): void {
    if (conversation !== undefined) this.selected = conversation;
    if (this.panel) this.panel.reveal();
    else this.adopt((events) => this.services.createPanel(events));
    if (conversation !== undefined) this.panel?.post({ type: 'focus', conversation });
  }

  /** Takes over a panel VS Code restored after a reload; `adopt` connects it to this host's events. */
  revive(adopt: (events: PanelEvents) => PanelView): void {
    this.panel?.dispose();
    this.adopt(adopt);
  }

  /** Feed it the chat session's updates. */
  update(update: ChatUpdate): void {
    const panel = this.panel;
    if (!panel) return;
    switch (update.type) {
      case 'snapshot':
        panel.post({ type: 'snapshot', snapshot: this.snapshot() });
        return;
      case 'item':
        panel.post({ type: 'item', item: update.item, announce: update.announce });
        return;
      case 'conversations':
        panel.post({ type: 'conversations', conversations: this.services.session.conversations() });
        return;
      case 'connection':
        panel.post({ type: 'connection', connection: this.services.connectionView(), maxTextBytes: this.services.session.limits().textBytes });
    }
  }

  /** Feed it the classroom's updates: the role shows with the connection, the standing and cleared hints have messages of their own. */
  classroom(update: ClassroomUpdate): void {
    const panel = this.panel;
    if (!panel) return;
    switch (update.type) {
      case 'role':
        this.update({ type: 'connection' });
        return;
      case 'standing':
        panel.post({ type: 'standing', ...this.services.standing() });
        return;
      case 'hintsCleared':
        panel.post({ type: 'hintsCleared' });
    }
  }

  dispose(): void {
    const panel = this.panel;
    this.panel = undefined;
    panel?.dispose();
  }

  /** Makes a panel and takes it on; events of a panel this host has let go of (closed, or replaced by a revived one) are ignored. */
  private adopt(make: (events: PanelEvents) => PanelView): void {
    let panel: PanelView | undefined;
    const mine = () => panel !== undefined && panel === this.panel;
    panel = make({
      message: (posted) => {
        if (!mine()) return;
        const message = parsePanelMessage(posted);
        if (message) this.message(message);
        else this.services.log.warn(this.services.t('The chat panel sent a message that is not understood; it was ignored: {0}', preview(posted)));
      },
      visibility: (visible) => {
        if (mine()) this.visibility(visible);
      },
      closed: () => {
        if (mine()) this.closed();
      },
    });
    this.panel = panel;
    this.visibility(panel.visible);
  }

  private message(message: PanelToHost): void {
    const { actions, t } = this.services;
    switch (message.type) {
      case 'ready':
        this.panel?.post({ type: 'init', strings: panelStrings(t), snapshot: this.snapshot() });
        this.panel?.post({ type: 'focus', conversation: this.selected });
        return;
      case 'send':
        void actions.send(message.conversation, message.text);
        return;
      case 'select':
        this.selected = message.conversation;
        this.visibility(this.visible);
        return;
      case 'snippet':
        void actions.snippet(message.action, message.itemId);
        return;
      case 'connect':
        void actions.connect();
        return;
      case 'newConversation':
        void actions.newConversation();
        return;
      case 'raiseHand':
        void actions.raiseHand(message.up, message.question);
        return;
      case 'reconnectNow':
        actions.reconnectNow();
        return;
      case 'loadOlder': {
        const { items, more } = this.services.session.older(message.conversation, message.before, message.count);
        this.panel?.post({ type: 'older', conversation: message.conversation, before: message.before, items, more });
      }
    }
  }

  private visibility(visible: boolean): void {
    this.services.session.setViewing(visible ? this.selected : undefined);
  }

  private closed(): void {
    this.panel = undefined;
    this.services.session.setViewing(undefined);
  }

  /** The chat as the panel keeps it: the last PANEL_KEEP items of each conversation; older ones on request. */
  private snapshot(): ChatSnapshot {
    const { items, older } = this.services.session.recent(PANEL_KEEP);
    const snapshot: ChatSnapshot = {
      connection: this.services.connectionView(),
      conversations: this.services.session.conversations(),
      items,
      maxTextBytes: this.services.session.limits().textBytes,
      standing: this.services.standing(),
    };
    if (older.length > 0) snapshot.older = older;
    return snapshot;
  }
}

/** A bad message in a log line: short, one line. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
