/**
 * What the chat panel knows besides the items: the host's strings, the connection, the
 * conversations, this person's role and standing, and how the person looks at the chat (the
 * view state). The panel's parts read it; main.ts changes it as the host's messages come.
 */
import { EVERYONE, type ConnectionView, type ConversationView, type PanelStrings } from '../protocol/panel';
import type { Role, Standing } from '../protocol/classroom';
import type { ViewState } from './viewState';

export class PanelState {
  /** Undefined until the host's `init`: nothing is rendered before. */
  strings: PanelStrings | undefined;
  connection: ConnectionView = { kind: 'disconnected' };
  conversations: ConversationView[] = [];
  maxTextBytes = 0;
  /** The last role the host told; kept while reconnecting. An older host tells none. */
  role: Role | undefined;
  standing: Standing = {};

  constructor(
    readonly view: ViewState,
    /** Whether the panel keeps any item of a conversation. */
    private readonly hasItems: (conversation: string) => boolean,
  ) {}

  setConnection(next: ConnectionView): void {
    this.connection = next;
    if (next.kind === 'connected') this.role = next.role;
  }

  isTeacher(): boolean {
    return this.role === 'teacher';
  }

  /** The conversations with one person each: all but everyone's. */
  persons(): ConversationView[] {
    return this.conversations.filter((conversation) => conversation.id !== EVERYONE);
  }

  labelOf(id: string): string {
    return this.conversations.find((conversation) => conversation.id === id)?.label ?? id;
  }

  /**
   * Whom the composer writes to: the conversation in view, and while the hints are in view, a
   * student's last person (or the most recent conversation with messages). Never everyone unless
   * a teacher, and never someone the student has not written with: then nobody, and the guide.
   */
  recipient(): string | undefined {
    const { view } = this;
    if (view.selected !== EVERYONE) return view.selected;
    if (this.isTeacher()) return EVERYONE;
    const people = this.persons();
    return (
      people.find((person) => person.id === view.lastPerson)?.id ??
      people.find((person) => this.hasItems(person.id))?.id
    );
  }
}
