/** The client side of the framed protocol (docs/protocol.md). */
import type { Socket } from 'node:net';
import {
  DEFAULT_LIMITS,
  type ClientFrame,
  type Limits,
  type Resume,
  type ServerFrame,
  type Snippet,
} from '../protocol/frames';
import { FrameDecoder, encodeFrame } from '../protocol/frameCodec';
import { parseServerFrame } from '../protocol/serverFrameParser';
import type { Moderation, Role } from '../protocol/classroom';
import { Emitter, newMessageId } from './events';
import { helloFrame, traceBytes, traceIncoming } from './framedHello';
import { OnlineList } from './onlineList';
import { endSoon } from './tcp';
import {
  RelayError,
  type CloseReason,
  type RelaySession,
  type SendResult,
  type SessionEvent,
  type WireTrace,
} from './types';

export interface FramedTiming {
  welcomeTimeoutMs: number;
  ackTimeoutMs: number;
  /** Ping when idle this long; give up after three such periods without a byte. */
  keepaliveMs: number;
}

export const DEFAULT_FRAMED_TIMING: FramedTiming = {
  welcomeTimeoutMs: 5000,
  ackTimeoutMs: 10_000,
  keepaliveMs: 15_000,
};

interface PendingAck {
  resolve: (result: SendResult) => void;
  timer: NodeJS.Timeout;
}

export class FramedClient implements RelaySession {
  readonly dialect = 'relay';
  private readonly decoder = new FrameDecoder();
  private readonly events = new Emitter<SessionEvent>({ holdUntilListened: true });
  private readonly pending = new Map<string, PendingAck>();
  private readonly onlineList: OnlineList;
  private registered: string | undefined;
  private serverLimits: Limits = DEFAULT_LIMITS;
  private keepalive: NodeJS.Timeout | undefined;
  private lastHeard = Date.now();
  private open = true;
  private welcome: { resolve: () => void; reject: (error: RelayError) => void } | undefined;
  private resumeToken: string | undefined;
  private registeredRole: Role = 'student';
  private registeredClass: string | undefined;
  /** The highest `seq` of the messages this registration was handed, across resumed connections. */
  private lastSeq = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly timing: FramedTiming,
    private readonly offered: Resume | undefined,
    private readonly trace?: WireTrace,
  ) {
    this.onlineList = new OnlineList({
      self: () => this.registered,
      isOpen: () => this.open,
      answerTimeoutMs: timing.ackTimeoutMs,
      ask: (frame) => this.write(frame),
      newId: newMessageId,
      changed: (joined, left, online) => this.events.fire({ type: 'presence', joined, left, online }),
    });
  }

  /**
   * Registers on a connected socket. `initial` lets the dialect detection hand over a socket
   * on which it already read the relay's first bytes (the answer to its probe).
   */
  static async start(
    socket: Socket,
    options: {
      name: string;
      client: string;
      timing?: Partial<FramedTiming>;
      trace?: WireTrace;
      initial?: Uint8Array;
      resume?: Resume;
      teacherKey?: string;
      /** The class to join (its code); undefined: the default class. */
      classCode?: string;
    },
  ): Promise<FramedClient> {
    const client = new FramedClient(
      socket,
      { ...DEFAULT_FRAMED_TIMING, ...options.timing },
      options.resume,
      options.trace,
    );
    const registered = new Promise<void>((resolve, reject) => (client.welcome = { resolve, reject }));
    client.attach();
    client.write(helloFrame(options.name, options.client, options.resume, options.teacherKey, options.classCode));
    if (options.initial) client.receive(options.initial);
    const timer = setTimeout(
      () => client.failRegistration(new RelayError('timeout', 'the relay did not answer the hello')),
      client.timing.welcomeTimeoutMs,
    );
    try {
      await registered;
    } finally {
      clearTimeout(timer);
    }
    client.startKeepalive();
    return client;
  }

  get name(): string {
    return this.registered ?? '';
  }

  /** What to present in the next hello to be this registration again, if the relay offers it. */
  get resume(): Resume | undefined {
    return this.resumeToken === undefined ? undefined : { token: this.resumeToken, lastSeq: this.lastSeq };
  }

  get online(): readonly string[] {
    return this.onlineList.online;
  }

  get onlineTotal(): number {
    return this.onlineList.total;
  }

  get limits(): Limits {
    return this.serverLimits;
  }

  get isOpen(): boolean {
    return this.open;
  }

  onEvent(listener: (event: SessionEvent) => void): { dispose(): void } {
    return this.events.on(listener);
  }

  send(to: string, text: string, id = newMessageId()): Promise<SendResult> {
    return this.request({ type: 'send', id, to, text });
  }

  sendSnippet(to: string, snippet: Snippet, id = newMessageId()): Promise<SendResult> {
    return this.request({ type: 'snippet', id, to, snippet });
  }

  broadcast(text: string, id = newMessageId()): Promise<SendResult> {
    return this.request({ type: 'broadcast', id, text });
  }

  broadcastSnippet(snippet: Snippet, id = newMessageId()): Promise<SendResult> {
    return this.request({ type: 'broadcast', id, text: '', snippet });
  }

  raiseHand(up: boolean, question?: string): Promise<SendResult> {
    return this.request(
      question === undefined
        ? { type: 'hand', id: newMessageId(), up }
        : { type: 'hand', id: newMessageId(), up, question },
    );
  }

  clearHints(): Promise<SendResult> {
    return this.request({ type: 'clear-hints', id: newMessageId() });
  }

  moderate(action: Moderation): Promise<SendResult> {
    return this.request({ type: 'moderate', id: newMessageId(), ...action });
  }

  get role(): Role {
    return this.registeredRole;
  }

  get classCode(): string | undefined {
    return this.registeredClass;
  }

  close(): void {
    // Goodbye first: the relay frees the name at once instead of holding it for a resume.
    if (this.open) this.write({ type: 'bye' });
    this.shutdown('local', 'closed by this client');
    endSoon(this.socket);
  }

  private request(frame: Extract<ClientFrame, { id: string }>): Promise<SendResult> {
    if (!this.open) return Promise.resolve({ status: 'disconnected' });
    const existing = this.pending.get(frame.id);
    if (existing) {
      clearTimeout(existing.timer);
      existing.resolve({ status: 'timeout' });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(frame.id);
        resolve({ status: 'timeout' });
      }, this.timing.ackTimeoutMs);
      this.pending.set(frame.id, { resolve, timer });
      this.write(frame);
    });
  }

  private attach(): void {
    this.socket.on('data', (data: Buffer) => this.receive(data));
    this.socket.resume();
    this.socket.on('error', (error) => this.shutdown('error', error.message));
    this.socket.on('close', () => this.shutdown('remote', 'the relay closed the connection'));
  }

  private receive(data: Uint8Array): void {
    this.lastHeard = Date.now();
    this.trace?.('in', traceIncoming(data));
    for (const line of this.decoder.push(data)) {
      if (line.kind === 'error') {
        this.events.fire({ type: 'notice', code: 'bad-frame', text: `relay sent a bad frame: ${line.message}` });
        continue;
      }
      const parsed = parseServerFrame(line.value);
      if (parsed.ok) this.handle(parsed.frame);
      else if (parsed.code !== 'unknown-type')
        this.events.fire({ type: 'notice', code: 'bad-frame', text: `relay sent a bad frame: ${parsed.message}` });
      // Unknown frame types are ignored: a newer relay may send more than this client knows.
    }
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.registered = frame.name;
        this.resumeToken = frame.resume;
        this.registeredRole = frame.role ?? 'student';
        this.registeredClass = frame.class;
        // A relay that does not know the token (it restarted) numbers from 1 again.
        this.lastSeq = frame.resumed && this.offered ? this.offered.lastSeq : 0;
        this.serverLimits = frame.limits;
        this.onlineList.welcome(frame);
        this.welcome?.resolve();
        this.welcome = undefined;
        return;
      case 'error':
        if (this.welcome) {
          const code =
            frame.code === 'name-taken' ||
            frame.code === 'name-invalid' ||
            frame.code === 'name-reserved' ||
            frame.code === 'unsupported-version' ||
            frame.code === 'teacher-key-invalid' ||
            frame.code === 'teacher-key-locked' ||
            frame.code === 'unknown-class' ||
            frame.code === 'class-ended'
              ? frame.code
              : frame.code === 'too-many-connections' || frame.code === 'node-unavailable'
                ? 'relay-busy'
                : 'protocol';
          this.failRegistration(new RelayError(code, frame.message));
        } else if (frame.fatal) {
          const reason =
            frame.code === 'server-shutdown' ||
            frame.code === 'replaced' ||
            frame.code === 'disconnected-by-teacher' ||
            frame.code === 'class-ended'
              ? frame.code
              : 'error';
          this.shutdown(reason, frame.message);
        } else {
          this.events.fire({ type: 'notice', code: 'relay-error', text: `relay: ${frame.message} (${frame.code})` });
        }
        return;
      case 'ack': {
        const pending = this.pending.get(frame.id);
        if (!pending) return;
        this.pending.delete(frame.id);
        clearTimeout(pending.timer);
        pending.resolve(
          frame.status === 'rejected'
            ? { status: 'rejected', reason: frame.reason ?? 'not-allowed', detail: frame.detail ?? '' }
            : frame.status === 'delivered'
              ? frame.recipients === undefined
                ? { status: 'delivered' }
                : { status: 'delivered', recipients: frame.recipients }
              : { status: frame.status },
        );
        return;
      }
      case 'presence':
        this.onlineList.apply(frame.event === 'join' ? [frame.name] : [], frame.event === 'leave' ? [frame.name] : []);
        return;
      case 'presence-batch':
        this.onlineList.batch(frame);
        return;
      case 'online':
        this.onlineList.page(frame);
        return;
      case 'ping':
        this.write(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
        return;
      case 'pong':
        return;
      // Answers to class requests, which come on a connection of their own, never a registered one.
      case 'class-created':
      case 'classes':
      case 'class-ended':
        return;
      case 'message':
      case 'snippet':
      case 'broadcast': {
        if (frame.seq !== undefined) this.lastSeq = Math.max(this.lastSeq, frame.seq);
        const { seq: _seq, ...event } = frame;
        this.events.fire(event);
        return;
      }
      default:
        this.events.fire(frame);
    }
  }

  /** Everyone online, page by page with `who`; undefined when the connection closed meanwhile. */
  fetchOnline(): Promise<string[] | undefined> {
    return this.onlineList.fetchAll();
  }

  private write(frame: ClientFrame): void {
    if (!this.socket.writable) return;
    const bytes = encodeFrame(frame);
    this.trace?.('out', traceBytes(frame, bytes));
    this.socket.write(bytes);
  }

  private startKeepalive(): void {
    const period = this.timing.keepaliveMs;
    this.keepalive = setInterval(() => {
      const silent = Date.now() - this.lastHeard;
      if (silent >= 3 * period) {
        this.shutdown('keepalive', `no sign of the relay for ${Math.round(silent / 1000)} s`);
        this.socket.destroy();
      } else if (silent >= period) {
        this.write({ type: 'ping', id: newMessageId() });
      }
    }, period);
  }

  private failRegistration(error: RelayError): void {
    if (!this.welcome) return;
    this.welcome.reject(error);
    this.welcome = undefined;
    this.open = false;
    this.socket.destroy();
  }

  private shutdown(reason: CloseReason, detail: string): void {
    if (this.welcome)
      this.failRegistration(new RelayError('closed', `the connection closed before registration: ${detail}`));
    if (!this.open) return;
    this.open = false;
    if (this.keepalive) clearInterval(this.keepalive);
    this.onlineList.close();
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ status: 'disconnected' });
    }
    this.pending.clear();
    this.events.fire({ type: 'closed', reason, detail });
    this.events.clear();
  }
}
