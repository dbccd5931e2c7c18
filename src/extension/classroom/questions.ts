/**
 * The teacher's questions, fed as they happen: raised hands from the classroom's rosters, direct
 * messages from students and the teacher's replies from the chat. It keeps the inbox
 * (./questionsInbox.ts), tells of hands that go up while the chat is out of view
 * (./handNotice.ts), and opens a question's conversation. Only a teacher's connection feeds it.
 */
import { Emitter } from '../../client/events';
import { formatServerAddress } from '../../protocol/address';
import { nameKey } from '../../protocol/nameSkeleton';
import { EVERYONE } from '../../protocol/panel';
import type { ChatSession, ChatUpdate } from '../chat/chatSession';
import type { Target } from '../connection/connectTarget';
import { reportTo } from '../errorText';
import type { Clock, Disposable, Log, Notices } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import type { Classroom, ClassroomUpdate } from './classroom';
import { HandNotifier } from './handNotice';
import { QuestionsInbox, type Question } from './questionsInbox';

export interface QuestionsServices {
  t: Translate;
  log: Log;
  clock: Clock;
  notices: Pick<Notices, 'info'>;
  settings(): RelaySettings;
  classroom: Pick<Classroom, 'isTeacher' | 'roster' | 'message'>;
  session: Pick<ChatSession, 'labelOf'>;
  chatVisible(): boolean;
  /** Shows the questions inbox (in VS Code, its view; nothing elsewhere). */
  showQuestions(): void;
}

export class Questions implements Disposable {
  readonly inbox: QuestionsInbox;
  private readonly changes: Emitter<void>;
  private readonly hands: HandNotifier;
  /** The server and name the questions were asked of. */
  private target: string | undefined;

  constructor(
    private readonly services: QuestionsServices,
    inbox = new QuestionsInbox(),
  ) {
    this.inbox = inbox;
    this.changes = new Emitter({ report: reportTo(services.log) });
    this.hands = new HandNotifier({
      ...services,
      openConversation: (name) => services.classroom.message(name),
    });
  }

  /** Told whenever the inbox changed. */
  onChange(listener: () => void): Disposable {
    return this.changes.on(listener);
  }

  list(): Question[] {
    return this.inbox.list();
  }

  /** Feed it the classroom's updates. */
  classroomUpdate(update: ClassroomUpdate): void {
    const { classroom, clock } = this.services;
    if (update.type === 'roster') {
      const roster = classroom.isTeacher ? classroom.roster : undefined;
      if (!roster) return;
      const raised = this.inbox.roster(roster, clock.now());
      this.changes.fire();
      this.hands.raised(raised);
    } else if (update.type === 'handLowered') {
      if (this.inbox.handLoweredByTeacher(update.name, clock.now())) this.changes.fire();
    }
  }

  /** Feed it the chat session's updates: students' messages to this teacher, and the teacher's replies. */
  chatUpdate(update: ChatUpdate): void {
    if (update.type !== 'item' || !this.services.classroom.isTeacher) return;
    const { item } = update;
    if (item.conversation === EVERYONE || item.notice) return;
    if (item.direction === 'in') {
      // Another teacher's message is no student's question.
      if (!update.announce || item.teacher) return;
      const { content } = item;
      const text = content.kind === 'text' ? content.text : this.services.t('{0} code', content.snippet.language);
      if (this.inbox.message({ id: item.id, from: item.from, text, at: item.at })) this.changes.fire();
    } else if (item.delivery !== 'failed') {
      if (this.inbox.replied(this.services.session.labelOf(item.conversation), item.at)) this.changes.fire();
    }
  }

  /** Opens the conversation with the student who asked `id`. */
  open(id: string): void {
    const question = this.inbox.find(id);
    if (question) this.services.classroom.message(question.name);
  }

  /** The teacher marks `id` answered. */
  markAnswered(id: string): void {
    if (this.inbox.mark(id, this.services.clock.now())) this.changes.fire();
  }

  /** Connecting: to another server or as another name, the questions were asked of the other one. */
  switching(target: Target): void {
    const key = `${formatServerAddress(target.server)} ${nameKey(target.name)}`;
    const previous = this.target;
    this.target = key;
    if (previous === undefined || previous === key || this.inbox.size === 0) return;
    this.inbox.clear();
    this.changes.fire();
  }

  dispose(): void {
    this.hands.dispose();
    this.changes.clear();
  }
}
