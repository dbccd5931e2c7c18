/**
 * The extension's parts as the extension puts them together (src/extension/relayParts.ts),
 * over plain objects in place of VS Code: scripted prompts and notices, storage in memory
 * that survives a "reload", panels that record what they are sent. The connection is real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerAddress } from '../../../src/protocol/address';
import { format, type ChatItem, type HostToPanel } from '../../../src/protocol/panel';
import { RelayParts } from '../../../src/extension/relayParts';
import type { HostingServices, NetworkInterfaces } from '../../../src/extension/hosting/hosting';
import type { TrustGate } from '../../../src/extension/connection/trust';
import type {
  Clock,
  Editors,
  HistoryFiles,
  Notices,
  PanelEvents,
  PanelView,
  Prompts,
  Secrets,
  Storage,
} from '../../../src/extension/ports';
import { NodeHistoryFiles } from '../../../src/extension/chat/history/historyFiles';
import { DEFAULT_SETTINGS, type RelaySettings } from '../../../src/extension/settings';
import { TeacherKeys } from '../../../src/extension/classroom/teacherKeys';
import type { EditorSelection } from '../../../src/extension/chat/snippets';
import type { Translate } from '../../../src/extension/translate';
import type { ConnectionOptions } from '../../../src/client/connection';
import { ROOT } from '../paths';
import { Waiters } from '../time/wait';

export const english: Translate = (message, ...args) => format(message, ...args.map(String));
const germanBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<
  string,
  string
>;
export const german: Translate = (message, ...args) =>
  format(germanBundle[message] ?? `MISSING ${message}`, ...args.map(String));

export const local = (port: number): ServerAddress => ({ transport: 'tcp', host: '127.0.0.1', port });

/** Short waits, so that reconnects happen within a test. */
export const QUICK: Partial<ConnectionOptions> = {
  backoff: { initialMs: 100, maxMs: 400 },
  detectTimeoutMs: 800,
  course: { afterNameMs: 300, betweenSendsMs: 120, notFoundWaitMs: 600 },
};

const folders: string[] = [];
process.on('exit', () => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh folder under the system's temporary one, removed when the tests end. */
export function temporaryFolder(prefix = 'relay-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/**
 * Kept as VS Code keeps a Memento: as JSON, read back as a copy. With it goes the extension's
 * storage folder (globalStorageUri), where the chat history is: what a reload keeps.
 */
export class MemoryStorage implements Storage {
  readonly values = new Map<string, string>();
  readonly folder = temporaryFolder('relay-storage-');

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

/** VS Code's SecretStorage, in memory: what is kept there and nowhere else. */
export class MemorySecrets implements Secrets {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export type PromptKind = keyof Prompts;
export interface Asked {
  kind: PromptKind;
  args: unknown[];
}
export interface Shown {
  level: 'info' | 'warning' | 'error' | 'flash' | 'progress' | 'confirm';
  message: string;
  actions: string[];
  /** A confirmation's text below its message. */
  detail?: string;
}
type Reply = string | undefined | ((shown: Shown) => string | undefined | Promise<string | undefined>);

/** A person at the keyboard who answers what the test scripted, and cancels the rest. */
export class ScriptedPerson {
  readonly asked: Asked[] = [];
  readonly shown: Shown[] = [];
  private readonly answers = new Map<PromptKind, unknown[]>();
  private readonly replies: Array<{ pattern: RegExp; reply: Reply }> = [];

  constructor(private readonly changed: () => void) {}

  /** The next `kind` prompt gets `answer` (undefined: cancelled). */
  answer<K extends PromptKind>(kind: K, answer: Awaited<ReturnType<Prompts[K]>>): this {
    this.answers.set(kind, [...(this.answers.get(kind) ?? []), answer]);
    return this;
  }

  /** The next notice matching `pattern` is answered with `reply` (an action, or undefined to dismiss it). */
  reply(pattern: RegExp, reply: Reply): this {
    this.replies.push({ pattern, reply });
    return this;
  }

  readonly prompts: Prompts = {
    server: (...args) => this.ask('server', args),
    name: (...args) => this.ask('name', args),
    peer: (...args) => this.ask('peer', args),
    text: (...args) => this.ask('text', args),
    pickMany: (...args) => this.ask('pickMany', args),
    line: (...args) => this.ask('line', args),
    secret: (...args) => this.ask('secret', args),
    optionalText: (...args) => this.ask('optionalText', args),
    choose: (...args) => this.ask('choose', args),
  };

  readonly notices: Notices = {
    info: (message, ...actions) => this.show({ level: 'info', message, actions }),
    warning: (message, ...actions) => this.show({ level: 'warning', message, actions }),
    error: (message, ...actions) => this.show({ level: 'error', message, actions }),
    confirm: (message, detail, ...actions) => this.show({ level: 'confirm', message, detail, actions }),
    flash: (message) => {
      void this.show({ level: 'flash', message, actions: [] });
    },
    progress: (title, task) => {
      void this.show({ level: 'progress', message: title, actions: [] });
      return task();
    },
  };

  private async ask<T>(kind: PromptKind, args: unknown[]): Promise<T> {
    this.asked.push({ kind, args });
    this.changed();
    const queue = this.answers.get(kind) ?? [];
    return queue.shift() as T;
  }

  private async show(shown: Shown): Promise<string | undefined> {
    this.shown.push(shown);
    this.changed();
    const index = this.replies.findIndex(({ pattern }) => pattern.test(shown.message));
    if (index === -1) return undefined;
    const reply = this.replies.splice(index, 1)[0]!.reply;
    return typeof reply === 'function' ? reply(shown) : reply;
  }
}

/** A chat (the view, or an editor tab) that records what its host sends it. */
export class RecordingPanel implements PanelView {
  readonly posts: HostToPanel[] = [];
  visible = true;
  disposed = false;
  reveals = 0;
  /** For each reveal: whether the keyboard was to stay where it was. */
  readonly revealedPreservingFocus: boolean[] = [];

  constructor(
    readonly events: PanelEvents,
    private readonly changed: () => void,
    readonly place: 'view' | 'editor' = 'editor',
  ) {}

  post(message: HostToPanel): void {
    this.posts.push(message);
    this.changed();
  }

  reveal(preserveFocus = false): void {
    this.reveals++;
    this.revealedPreservingFocus.push(preserveFocus);
  }

  dispose(): void {
    this.disposed = true;
  }

  /** The person looks elsewhere, or back. */
  show(visible: boolean): void {
    this.visible = visible;
    this.events.visibility(visible);
  }

  /** The panel's current picture of the item, from what it was sent. */
  item(id: string): ChatItem | undefined {
    let found: ChatItem | undefined;
    for (const post of this.posts) {
      if (post.type === 'item' && post.item.id === id) found = post.item;
      if (post.type === 'init' || post.type === 'snapshot')
        found = post.snapshot.items.find((item) => item.id === id) ?? found;
    }
    return found;
  }
}

/** Editors as far as snippets see them. */
export class RecordingEditors implements Editors {
  current: EditorSelection | undefined;
  /** Whether an editor is open to insert into. */
  hasEditor = true;
  readonly copied: string[] = [];
  readonly opened: Array<{ code: string; language: string }> = [];
  readonly inserted: string[] = [];

  selection(): EditorSelection | undefined {
    return this.current;
  }

  async copy(text: string): Promise<void> {
    this.copied.push(text);
  }

  async open(code: string, language: string): Promise<void> {
    this.opened.push({ code, language });
  }

  async insert(code: string): Promise<boolean> {
    if (!this.hasEditor) return false;
    this.inserted.push(code);
    return true;
  }
}

export const realClock: Clock = {
  now: () => new Date(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return { dispose: () => clearTimeout(timer) };
  },
};

export interface HostOptions {
  t?: Translate;
  settings?: Partial<RelaySettings>;
  /** Storage (with its folder, for the history) that outlives this host, for a reload. */
  storage?: MemoryStorage;
  /** This window's own storage (workspaceState), which outlives a reload of this window. */
  windowStorage?: MemoryStorage;
  /** The history's files, if not those of the storage's folder. */
  historyFiles?: HistoryFiles;
  /** The parts' clock (timers of the history, the notifications, a mute), if not the real one. */
  clock?: Clock;
  secrets?: MemorySecrets;
  connectionOptions?: Partial<ConnectionOptions>;
  /** The network interfaces a hosted classroom lists (default: a classroom LAN). */
  interfaces?: NetworkInterfaces;
  hosting?: Pick<HostingServices, 'listenHost' | 'relayOptions'>;
  /** The certificates the person trusts (default: none, and nothing asked). */
  trust?: TrustGate;
}

/** A laptop on a classroom's Wi-Fi: loopback, one LAN address, and a link-local one nobody reaches. */
export const CLASSROOM_INTERFACES: NetworkInterfaces = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
  ],
  wlan0: [
    {
      address: '192.168.1.23',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '192.168.1.23/24',
    },
    {
      address: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: 'fe80::1/64',
      scopeid: 3,
    },
  ],
  eth1: [
    {
      address: '169.254.10.20',
      netmask: '255.255.0.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:02',
      internal: false,
      cidr: '169.254.10.20/16',
    },
  ],
};

/** One VS Code window's worth of the extension, without VS Code. */
export class ExtensionHost {
  readonly waiters = new Waiters();
  readonly person = new ScriptedPerson(() => this.waiters.notify());
  readonly storage: MemoryStorage;
  readonly windowStorage: MemoryStorage;
  readonly historyFiles: HistoryFiles;
  readonly secrets: MemorySecrets;
  readonly settings: RelaySettings;
  /** The chats the parts were given, the view's and editor tabs, newest last. */
  readonly panels: RecordingPanel[] = [];
  /** Each time the parts asked to show the chat view: whether the keyboard was to stay where it was. */
  readonly viewShown: boolean[] = [];
  readonly editors = new RecordingEditors();
  readonly log: string[] = [];
  /** Names saved to the relay.name setting. */
  readonly savedNames: string[] = [];
  readonly parts: RelayParts;
  private disposed = false;

  constructor(options: HostOptions = {}) {
    this.storage = options.storage ?? new MemoryStorage();
    this.windowStorage = options.windowStorage ?? new MemoryStorage();
    this.historyFiles = options.historyFiles ?? new NodeHistoryFiles(join(this.storage.folder, 'history'));
    this.secrets = options.secrets ?? new MemorySecrets();
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    const line = (level: string) => (message: string) => {
      this.log.push(`${level}: ${message}`);
      this.waiters.notify();
    };
    this.parts = new RelayParts({
      t: options.t ?? english,
      prompts: this.person.prompts,
      notices: this.person.notices,
      storage: this.storage,
      windowStorage: this.windowStorage,
      historyFiles: this.historyFiles,
      secrets: this.secrets,
      clock: options.clock ?? realClock,
      log: { info: line('info'), warn: line('warn'), error: line('error') },
      editors: this.editors,
      trust: options.trust ?? { pinFor: () => undefined, settle: async () => 'none' },
      settings: () => this.settings,
      saveName: async (name) => {
        this.savedNames.push(name);
      },
      createPanel: (events) => this.record(events, 'editor'),
      // As VS Code does when the view shows for the first time: it makes the view, the parts take it.
      showView: (preserveFocus) => {
        this.viewShown.push(preserveFocus);
        this.parts.panel.adoptView((events) => this.record(events, 'view'));
      },
      connectionOptions: { ...QUICK, ...options.connectionOptions },
      interfaces: () => options.interfaces ?? CLASSROOM_INTERFACES,
      hosting: options.hosting,
    });
    this.parts.session.onUpdate(() => this.waiters.notify());
    this.parts.lifecycle.onEvent(() => this.waiters.notify());
    this.parts.classroom.onUpdate(() => this.waiters.notify());
    this.parts.hosting.onChange(() => this.waiters.notify());
  }

  get panel(): RecordingPanel | undefined {
    return this.panels.at(-1);
  }

  private record(events: PanelEvents, place: 'view' | 'editor'): RecordingPanel {
    const panel = new RecordingPanel(events, () => this.waiters.notify(), place);
    this.panels.push(panel);
    return panel;
  }

  /** Connects to `port` as `name` through "Relay: Connect", answering the prompts. */
  async connect(port: number, name: string): Promise<void> {
    this.person.answer('server', local(port)).answer('name', name);
    await this.parts.lifecycle.connect();
    await this.until(() => this.parts.lifecycle.state.kind === 'connected' || undefined, `connected as ${name}`);
  }

  /** Connects as a teacher: the key is in secret storage for the server, as "Enter Teacher Key" keeps it. */
  async connectAsTeacher(port: number, name: string, key: string): Promise<void> {
    await new TeacherKeys(this.secrets).store(local(port), key);
    await this.connect(port, name);
    await this.until(() => this.parts.classroom.role === 'teacher', `${name} a teacher`);
  }

  /** Waits until `probe` gives a value; re-checked on every update, notice, prompt and log line. */
  until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return this.waiters.until(
      () => probe() || undefined,
      () =>
        `${what}; state ${JSON.stringify(this.parts.lifecycle.state)}, shown ${JSON.stringify(this.person.shown)}, log ${JSON.stringify(this.log.slice(-5))}`,
      timeoutMs,
    );
  }

  /** The chat item with `text`, once `check` holds for it. */
  item(text: string, check: (item: ChatItem) => boolean = () => true, timeoutMs?: number): Promise<ChatItem> {
    return this.until(
      () =>
        this.parts.session.items.find(
          (item) => item.content.kind === 'text' && item.content.text === text && check(item),
        ),
      `an item "${text}" that passes ${String(check)}`,
      timeoutMs,
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.parts.dispose();
  }
}

/** Hosts made by a test file, disposed when it ends. */
export function hostsForThisFile(after: (fn: () => void) => void): (options?: HostOptions) => ExtensionHost {
  const hosts: ExtensionHost[] = [];
  after(() => hosts.forEach((host) => host.dispose()));
  return (options) => {
    const host = new ExtensionHost(options);
    hosts.push(host);
    return host;
  };
}

/**
 * A TCP proxy in front of the relay that can freeze, as a relay whose machine hangs: while
 * frozen, nothing passes in either direction, and what was sent waits.
 */
export class FreezingProxy {
  private frozen = false;
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: number): Promise<FreezingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FreezingProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.pair(client, connect({ host: '127.0.0.1', port: target })));
    return proxy;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const pass of this.held.splice(0)) pass();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private pair(client: Socket, relay: Socket): void {
    for (const socket of [client, relay]) {
      this.sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        relay.destroy();
      });
    }
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (data) => {
        const pass = () => {
          if (!to.destroyed) to.write(data);
        };
        if (this.frozen) this.held.push(pass);
        else pass();
      });
    forward(client, relay);
    forward(relay, client);
  }
}
