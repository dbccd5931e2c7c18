/**
 * The extension's parts, put together over the services they are given: VS Code's in the
 * extension (vscode/partsInVsCode.ts), plain objects in tests. Each part has one job; this only
 * connects them.
 */
import { networkInterfaces } from 'node:os';
import { classRequest } from '../client/classRequest';
import type { ConnectionOptions } from '../client/connection';
import { onListenerError } from '../client/events';
import { ChatSession } from './chat/chatSession';
import { Classroom } from './classroom/classroom';
import { Questions } from './classroom/questions';
import { ConnectionLifecycle, WATCHED_RETRY_MS } from './connection/connectionLifecycle';
import type { TrustGate } from './connection/trust';
import { ClassroomHosting, type HostingServices, type NetworkInterfaces } from './hosting/hosting';
import { reportTo } from './errorText';
import { plainNotices, plainPrompts } from './notificationText';
import { Notifier } from './chat/notifier';
import { PanelHost, type OpenOptions } from './chat/panel/panelHost';
import { SendActions } from './chat/sendActions';
import type {
  Clock,
  Disposable,
  Editors,
  HistoryFiles,
  Log,
  Notices,
  PanelEvents,
  PanelView,
  Prompts,
  Secrets,
  Storage,
} from './ports';
import type { RelaySettings } from './settings';
import { SnippetActions } from './chat/snippetActions';
import { TeacherKeyActions } from './classroom/teacherKeyActions';
import { TeacherKeys } from './classroom/teacherKeys';
import { AdminKeys } from './classroom/adminKeys';
import { ClassCreation, type RequestClass } from './classroom/createClass';
import type { Translate } from './translate';
import { withRole } from './connection/connectionWording';

export interface RelayServices {
  t: Translate;
  prompts: Prompts;
  notices: Notices;
  /** Kept across reloads: recent servers, the last name (and, before it moved into files, the history). */
  storage: Storage;
  /** This window's own (VS Code's workspaceState): where it was connected, to reconnect after a reload. */
  windowStorage: Storage;
  /** The folder the chat history is kept in. */
  historyFiles: HistoryFiles;
  /** Teacher keys. */
  secrets: Secrets;
  clock: Clock;
  log: Log;
  editors: Editors;
  trust: TrustGate;
  settings(): RelaySettings;
  saveName(name: string): Promise<void>;
  /** A chat in an editor tab ("Open Chat in Editor"). */
  createPanel(events: PanelEvents): PanelView;
  /** Shows the chat view (beside the editor); it reaches the parts through `panel.adoptView`. */
  showView(preserveFocus: boolean): void;
  connectionOptions?: Partial<ConnectionOptions>;
  /** os.networkInterfaces by default. */
  interfaces?: () => NetworkInterfaces;
  /** Shows the teacher's questions inbox (its view in VS Code). */
  showQuestions?: () => void;
  /** Where and how a hosted classroom's relay listens. */
  hosting?: Pick<HostingServices, 'listenHost' | 'relayOptions'>;
  /** How a class is asked of a relay (the client's class request by default). */
  requestClass?: RequestClass;
}

export class RelayParts implements Disposable {
  readonly lifecycle: ConnectionLifecycle;
  readonly session: ChatSession;
  readonly classroom: Classroom;
  readonly panel: PanelHost;
  readonly send: SendActions;
  readonly snippets: SnippetActions;
  readonly notifier: Notifier;
  readonly questions: Questions;
  readonly keys: TeacherKeyActions;
  readonly hosting: ClassroomHosting;
  readonly classes: ClassCreation;
  private readonly subscriptions: Disposable[];

  constructor(given: RelayServices) {
    // Names, messages and the relay's words reach notifications and questions: none of it may become a link.
    const services = { ...given, notices: plainNotices(given.notices), prompts: plainPrompts(given.prompts) };
    const { t } = services;
    // A conversation named by a peer's name finds the one the chat keeps it in, as the server tells names apart.
    const openChat = (conversation?: string, options?: OpenOptions) =>
      this.panel.open(conversation === undefined ? undefined : this.session.resolveConversation(conversation), options);
    const teacherKeys = new TeacherKeys(services.secrets);
    const isTeacher = () => this.classroom.isTeacher;
    this.lifecycle = new ConnectionLifecycle({
      ...services,
      showChat: () => openChat(),
      teacherKeys,
      keyRefused: (message, target) => this.keys.refused(message, target),
    });
    this.session = new ChatSession(this.lifecycle, {
      ...services,
      isTeacher,
      muted: () => this.classroom.standing.muted,
    });
    const openChatWith = (name: string) => this.panel.open(this.session.conversationNamed(name));
    this.classroom = new Classroom(this.lifecycle, { ...services, openChatWith });
    this.keys = new TeacherKeyActions({ ...services, teacherKeys, lifecycle: this.lifecycle, isTeacher });
    this.send = new SendActions({
      ...services,
      lifecycle: this.lifecycle,
      session: this.session,
      classroom: this.classroom,
      openChat,
    });
    // The code stays in front and keeps the keyboard: the chat shows the conversation beside it.
    const showBeside = (conversation: string) => openChat(conversation, { preserveFocus: true });
    this.snippets = new SnippetActions({
      ...services,
      lifecycle: this.lifecycle,
      session: this.session,
      openChat: showBeside,
    });
    this.hosting = new ClassroomHosting({
      ...services,
      ...services.hosting,
      teacherKeys,
      lifecycle: this.lifecycle,
      interfaces: services.interfaces ?? networkInterfaces,
    });
    this.classes = new ClassCreation({
      ...services,
      teacherKeys,
      adminKeys: new AdminKeys(services.secrets),
      lifecycle: this.lifecycle,
      requestClass: services.requestClass ?? requestClassOf(services),
    });
    this.panel = new PanelHost({
      t,
      log: services.log,
      createPanel: (events) => services.createPanel(events),
      showView: (preserveFocus) => services.showView(preserveFocus),
      visibilityChanged: (visible) => this.lifecycle.capBackoff(visible ? WATCHED_RETRY_MS : undefined),
      session: this.session,
      connectionView: () => withRole(this.lifecycle.view(), this.classroom.role),
      standing: () => this.classroom.standing,
      actions: {
        send: (conversation, text) => this.send.sendFromPanel(conversation, text),
        snippet: (action, itemId) => this.snippets.run(action, itemId),
        connect: () => this.lifecycle.connect(),
        newConversation: () => this.send.messagePeer(),
        raiseHand: (up, question) => (up ? this.classroom.raiseHand({ question }) : this.classroom.lowerHand()),
        reconnectNow: () => this.lifecycle.retryNow(),
      },
    });
    this.notifier = new Notifier({ ...services, chatVisible: () => this.panel.visible, openChat });
    this.questions = new Questions({
      ...services,
      classroom: this.classroom,
      session: this.session,
      chatVisible: () => this.panel.visible,
      showQuestions: () => services.showQuestions?.(),
    });
    this.subscriptions = [
      // A listener of the client's events that throws is reported in the Relay log, not on the extension host's
      // console (the parts' own emitters report to it themselves); the others still hear the event.
      onListenerError(reportTo(services.log)),
      this.lifecycle.onEvent((event) => {
        if (event.type === 'switching') this.questions.switching(event.target);
        if (event.type === 'switching' && event.show) openChat();
      }),
      this.session.onUpdate((update) => {
        this.panel.update(update);
        this.notifier.update(update);
        this.questions.chatUpdate(update);
      }),
      this.classroom.onUpdate((update) => {
        this.panel.classroom(update);
        this.questions.classroomUpdate(update);
      }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.notifier.dispose();
    this.questions.dispose();
    this.hosting.dispose();
    this.classroom.dispose();
    this.lifecycle.dispose();
    this.session.dispose();
    this.panel.dispose();
  }
}

/** A class made by the client's class request, over the certificate the person trusts for the relay. */
function requestClassOf(services: Pick<RelayServices, 'trust'>): RequestClass {
  return async (server, adminKey) => {
    const made = await classRequest(
      server,
      { type: 'create', adminKey },
      { fingerprint: services.trust.pinFor(server) },
    );
    return { code: made.code, teacherKey: made.teacherKey };
  };
}
