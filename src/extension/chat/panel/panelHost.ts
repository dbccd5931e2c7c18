/**
 * The host side of the chat: opens or takes over the chat view and the chat in an editor tab,
 * answers what they ask, keeps them up to date with the chat session, and remembers which
 * conversation each shows.
 */
import {
  EVERYONE,
  PANEL_KEEP,
  parsePanelMessage,
  type ChatSnapshot,
  type ConnectionView,
  type HostToPanel,
  type PanelToHost,
} from '../../../protocol/panel';
import type { Standing } from '../../../protocol/classroom';
import { getDisplayLocale } from '../../../protocol/lineTime';
import { cut } from '../../../protocol/text';
import type { ChatSession, ChatUpdate } from '../chatSession';
import type { ClassroomUpdate } from '../../classroom/classroom';
import { panelStrings } from './panelStrings';
import type { Disposable, Log, PanelEvents, PanelView } from '../../ports';
import type { Translate } from '../../translate';

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

/**
 * Where the chat shows: the chat view (beside the editor: in a side bar or the panel, wherever
 * the person put it) or an editor tab ("Open Chat in Editor"). Both may be open at once; each
 * is fed everything.
 */
export type ChatPlace = 'view' | 'editor';

export interface OpenOptions {
  /** Default: the view. */
  place?: ChatPlace;
  /** Show the chat but leave the keyboard where it is (in the editor, after Send Selection). */
  preserveFocus?: boolean;
}

export interface PanelHostServices {
  t: Translate;
  log: Pick<Log, 'warn'>;
  /** Creates a chat in an editor tab that reports to `events`. */
  createPanel(events: PanelEvents): PanelView;
  /** Asks for the chat view to be shown; it arrives through adoptView once VS Code has made it. */
  showView(preserveFocus: boolean): void;
  session: Pick<ChatSession, 'recent' | 'older' | 'conversations' | 'setViewing' | 'limits'>;
  connectionView(): ConnectionView;
  /** This person's raised hand and mute. */
  standing(): Standing;
  actions: PanelActions;
  /** Whether any chat is in view, each time that changes. */
  visibilityChanged?(visible: boolean): void;
}

/** A chat this host feeds, and the conversation it shows. */
interface Surface {
  readonly place: ChatPlace;
  readonly view: PanelView;
  selected: string;
  /** Whether its composer takes the keyboard when the chat (re)starts: only when the person asked for the chat. */
  keyboard: boolean;
}

export class PanelHost implements Disposable {
  private readonly surfaces = new Map<ChatPlace, Surface>();
  /** The conversation a chat that opens shows: the last one chosen or asked for. */
  private selected = EVERYONE;
  /** What was asked of a place that has no chat yet (a conversation, the keyboard): done when the chat comes. */
  private asked: { place: ChatPlace; conversation: string | undefined; keyboard: boolean } | undefined;
  /** The chat the person used last: its conversation is the one read. */
  private lastUsed: ChatPlace | undefined;
  private wasVisible = false;

  constructor(private readonly services: PanelHostServices) {}

  /** Whether the person sees a chat now (the view or the editor tab). */
  get visible(): boolean {
    return [...this.surfaces.values()].some((surface) => surface.view.visible);
  }

  /** Shows the chat (the view, unless the editor is asked for), on `conversation` if given. */
  open(conversation?: string, options: OpenOptions = {}): void {
    const place = options.place ?? 'view';
    const keyboard = !(options.preserveFocus ?? false);
    if (conversation !== undefined) this.selected = conversation;
    const existing = this.surfaces.get(place);
    if (existing) {
      existing.view.reveal(!keyboard);
      // A chat out of view starts again as it shows (VS Code keeps no hidden webview): then too.
      existing.keyboard = keyboard;
      this.lastUsed = place;
      if (conversation === undefined) return;
      // The chat answers with `select`, which makes it the conversation read.
      existing.selected = conversation;
      existing.view.post(focusMessage(conversation, keyboard));
      return;
    }
    this.asked = { place, conversation, keyboard };
    if (place === 'editor') this.adopt('editor', (events) => this.services.createPanel(events));
    else this.services.showView(!keyboard);
    // A chat made at once is told now; one made later shows the conversation asked for when it is ready.
    const made = this.surfaces.get(place);
    if (made && conversation !== undefined) made.view.post(focusMessage(conversation, keyboard));
  }

  /** Takes over the chat view VS Code made (or made again); `saved`: what its webview saved before (after a reload). */
  adoptView(make: (events: PanelEvents) => PanelView, saved?: unknown): void {
    this.surfaces.get('view')?.view.dispose();
    this.adopt('view', make, savedConversation(saved));
  }

  /** Takes over an editor tab of the chat VS Code restored after a reload; `saved`: what its webview saved. */
  revive(make: (events: PanelEvents) => PanelView, saved?: unknown): void {
    this.surfaces.get('editor')?.view.dispose();
    this.adopt('editor', make, savedConversation(saved));
  }

  /** Feed it the chat session's updates. */
  update(update: ChatUpdate): void {
    switch (update.type) {
      case 'snapshot':
        this.postAll(() => ({ type: 'snapshot', snapshot: this.snapshot() }));
        return;
      case 'item':
        this.postAll(() => ({ type: 'item', item: update.item, announce: update.announce }));
        return;
      case 'conversations':
        this.postAll(() => ({ type: 'conversations', conversations: this.services.session.conversations() }));
        return;
      case 'connection':
        this.postAll(() => ({
          type: 'connection',
          connection: this.services.connectionView(),
          maxTextBytes: this.services.session.limits().textBytes,
        }));
    }
  }

  /**
   * Feed it the classroom's updates: the role shows with the connection, the standing and
   * cleared hints have messages of their own.
   */
  classroom(update: ClassroomUpdate): void {
    switch (update.type) {
      case 'role':
        this.update({ type: 'connection' });
        return;
      case 'standing':
        this.postAll(() => ({ type: 'standing', ...this.services.standing() }));
        return;
      case 'hintsCleared':
        this.postAll(() => ({ type: 'hintsCleared' }));
    }
  }

  dispose(): void {
    const surfaces = [...this.surfaces.values()];
    this.surfaces.clear();
    for (const surface of surfaces) surface.view.dispose();
  }

  /** Sends every chat the same message, made once. */
  private postAll(make: () => HostToPanel): void {
    if (this.surfaces.size === 0) return;
    const message = make();
    for (const surface of this.surfaces.values()) surface.view.post(message);
  }

  /**
   * Makes a chat and takes it on in `place`; events of a chat this host has let go of (closed,
   * or replaced by one VS Code made again) are ignored.
   */
  private adopt(place: ChatPlace, make: (events: PanelEvents) => PanelView, restored?: string): void {
    // eslint-disable-next-line prefer-const -- set once make() returns, but the events it is handed may come before
    let surface: Surface | undefined;
    const mine = () => surface !== undefined && this.surfaces.get(place) === surface;
    const asked = this.asked?.place === place ? this.asked : undefined;
    if (asked) this.asked = undefined;
    const view = make({
      message: (posted) => {
        if (!mine()) return;
        const message = parsePanelMessage(posted);
        if (message) this.message(surface!, message);
        else
          this.services.log.warn(
            this.services.t(
              'The chat panel sent a message that is not understood; it was ignored: {0}',
              preview(posted),
            ),
          );
      },
      visibility: (visible) => {
        if (!mine()) return;
        if (visible) this.lastUsed = place;
        this.viewingChanged();
      },
      closed: () => {
        if (!mine()) return;
        this.surfaces.delete(place);
        this.viewingChanged();
      },
    });
    surface = {
      place,
      view,
      selected: asked?.conversation ?? restored ?? this.selected,
      keyboard: asked?.keyboard ?? false,
    };
    this.surfaces.set(place, surface);
    if (view.visible) this.lastUsed = place;
    this.viewingChanged();
  }

  private message(surface: Surface, message: PanelToHost): void {
    const { actions, t } = this.services;
    switch (message.type) {
      case 'ready':
        surface.view.post({
          type: 'init',
          strings: panelStrings(t),
          snapshot: this.snapshot(),
          ...localeOf(getDisplayLocale()),
        });
        surface.view.post(focusMessage(surface.selected, surface.keyboard));
        surface.keyboard = false;
        return;
      case 'send':
        void actions.send(message.conversation, message.text);
        return;
      case 'select':
        surface.selected = message.conversation;
        this.selected = message.conversation;
        this.lastUsed = surface.place;
        this.viewingChanged();
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
        surface.view.post({ type: 'older', conversation: message.conversation, before: message.before, items, more });
      }
    }
  }

  /**
   * The conversation in view (of the chat used last, if it is visible, else of one that is) is
   * read; the others gather unread counts. Tells whoever asked when a chat comes into view or
   * the last one goes.
   */
  private viewingChanged(): void {
    const visible = [...this.surfaces.values()].filter((surface) => surface.view.visible);
    const viewed = visible.find((surface) => surface.place === this.lastUsed) ?? visible[0];
    this.services.session.setViewing(viewed?.selected);
    if (this.wasVisible !== visible.length > 0) {
      this.wasVisible = visible.length > 0;
      this.services.visibilityChanged?.(this.wasVisible);
    }
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

/** VS Code's display language for the panel's times, when the extension was told it. */
function localeOf(locale: string | undefined): { locale?: string } {
  return locale === undefined ? {} : { locale };
}

/** Shows `conversation`; `keyboard: false` leaves the keyboard where it is (in the editor). */
function focusMessage(conversation: string, keyboard: boolean): HostToPanel {
  return keyboard ? { type: 'focus', conversation } : { type: 'focus', conversation, keyboard: false };
}

/**
 * The conversation a chat showed, from what its webview saved with setState (src/webview's
 * ViewState: `selected`); undefined when it saved nothing usable.
 */
export function savedConversation(saved: unknown): string | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const selected = (saved as { selected?: unknown }).selected;
  return typeof selected === 'string' && selected !== '' && selected.length <= 256 ? selected : undefined;
}

/** A bad message in a log line: short, one line. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return cut(text, 200);
}
