/**
 * The client side of the course dialects, careful of the course servers' faults: the name
 * goes alone and is followed by a pause, every send is paced and within one recv(1024), and
 * every part is addressed.
 */
import type { Socket } from 'node:net';
import type { Role } from '../protocol/classroom';
import { addressedParts, parseIncoming, snippetFromText, snippetToText } from '../protocol/course';
import { CourseReader } from '../protocol/courseReader';
import { DEFAULT_LIMITS, type Limits, type Snippet } from '../protocol/frames';
import { MAX_SNIPPET_BYTES } from '../protocol/limits';
import { encodeUtf8 } from '../protocol/utf8';
import { Emitter } from './events';
import { endSoon } from './tcp';
import type { CloseReason, RelaySession, SendResult, SessionEvent, WireTrace } from './types';

export interface CourseClientTiming {
  /** Wait after the name, so it is not read together with the first message (the course client waits 1 s). */
  afterNameMs: number;
  /** Wait after each message (the course client waits 0.1 s). */
  betweenSendsMs: number;
  /** How long a "not found" answer is awaited before a message counts as sent. */
  notFoundWaitMs: number;
  /** Quiet time after which received bytes are one message. */
  pauseMs: number;
}

export const DEFAULT_COURSE_CLIENT_TIMING: CourseClientTiming = {
  afterNameMs: 1000,
  betweenSendsMs: 150,
  notFoundWaitMs: 1500,
  pauseMs: 25,
};

/** How long the parts of a split code fence may take to arrive before they are shown as they are. */
const FENCE_WAIT_MS = 3000;

interface OpenFence {
  text: string;
  at: string;
  timer: NodeJS.Timeout;
}

interface Outgoing {
  to: string;
  parts: string[];
  resolve: (result: SendResult) => void;
  /** Listening for the server's answers from the first part on. */
  entry?: Awaiting;
}

/**
 * A message whose answers are awaited: the server answers each part of it, so every "not
 * found" for its recipient belongs to it until the wait after its last part is over.
 */
interface Awaiting {
  to: string;
  failure: SendResult | undefined;
  resolve: (result: SendResult) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

export class CourseClient implements RelaySession {
  private readonly events = new Emitter<SessionEvent>({ holdUntilListened: true });
  private readonly reader = new CourseReader(DEFAULT_LIMITS.frameBytes, 'pause');
  private readonly queue: Outgoing[] = [];
  private readonly awaiting: Awaiting[] = [];
  private pauseTimer: NodeJS.Timeout | undefined;
  /** Snippets longer than one course message arrive in parts: collected per sender until the fence closes. */
  private readonly openFences = new Map<string, OpenFence>();
  private pacing: NodeJS.Timeout | undefined;
  private writing = false;
  private open = true;

  constructor(
    private readonly socket: Socket,
    readonly dialect: 'course' | 'course-lan',
    readonly name: string,
    private readonly timing: CourseClientTiming,
    private readonly trace?: WireTrace,
    readonly classCode?: string,
  ) {
    socket.on('data', (data: Buffer) => this.receive(data));
    socket.resume();
    socket.on('end', () => this.flushIncoming(true));
    socket.on('error', (error) => this.shutdown('error', error.message));
    socket.on('close', () => this.shutdown('remote', 'the server closed the connection'));
  }

  /**
   * Registers with a course server: the name alone (`CODE/Name` to join a class of our relay),
   * then the pause the course client makes.
   */
  static start(
    socket: Socket,
    options: {
      dialect: 'course' | 'course-lan';
      name: string;
      /** Our relay's class to join; a course-lan server takes no name, so no class either. */
      classCode?: string;
      timing?: Partial<CourseClientTiming>;
      trace?: WireTrace;
    },
  ): CourseClient {
    const timing = { ...DEFAULT_COURSE_CLIENT_TIMING, ...options.timing };
    // A course-lan server knows its clients by IP address only.
    const name = options.dialect === 'course-lan' ? (socket.localAddress ?? '').replace(/^::ffff:/, '') : options.name;
    const classCode = options.dialect === 'course' ? options.classCode : undefined;
    const client = new CourseClient(socket, options.dialect, name, timing, options.trace, classCode);
    if (options.dialect === 'course') {
      client.writeRaw(classCode === undefined ? options.name : `${classCode}/${options.name}`);
      client.hold(timing.afterNameMs);
    }
    return client;
  }

  get online(): readonly string[] {
    return [];
  }

  get onlineTotal(): number {
    return 0;
  }

  /** Longer texts are split into addressed parts, so the framed limits hold here too. */
  get limits(): Limits {
    return DEFAULT_LIMITS;
  }

  get isOpen(): boolean {
    return this.open;
  }

  onEvent(listener: (event: SessionEvent) => void): { dispose(): void } {
    return this.events.on(listener);
  }

  send(to: string, text: string): Promise<SendResult> {
    if (!this.open) return Promise.resolve({ status: 'disconnected' });
    const recipient = to.trim();
    if (recipient === '' || recipient.includes(':')) {
      return Promise.resolve({
        status: 'rejected',
        reason: 'invalid-recipient',
        detail: 'a course recipient must be a name without ":"',
      });
    }
    let parts: string[];
    try {
      parts = addressedParts(recipient, text);
    } catch (error) {
      return Promise.resolve({ status: 'rejected', reason: 'invalid-recipient', detail: (error as Error).message });
    }
    return new Promise((resolve) => {
      this.queue.push({ to: recipient, parts, resolve });
      this.pump();
    });
  }

  sendSnippet(to: string, snippet: Snippet): Promise<SendResult> {
    return this.send(to, snippetToText(snippet));
  }

  broadcast(): Promise<SendResult> {
    return Promise.resolve({ status: 'rejected', reason: 'not-allowed', detail: 'a course server has no broadcast' });
  }

  broadcastSnippet(): Promise<SendResult> {
    return this.broadcast();
  }

  /**
   * The course servers know no hands, hints or moderation; a course server would take "!hand" as a
   * message without recipient and drop the connection.
   */
  raiseHand(): Promise<SendResult> {
    return Promise.resolve({
      status: 'rejected',
      reason: 'not-allowed',
      detail: 'a course server has no raised hands',
    });
  }

  clearHints(): Promise<SendResult> {
    return Promise.resolve({ status: 'rejected', reason: 'not-allowed', detail: 'a course server has no hints' });
  }

  moderate(): Promise<SendResult> {
    return Promise.resolve({ status: 'rejected', reason: 'not-allowed', detail: 'a course server has no teachers' });
  }

  get role(): Role {
    return 'student';
  }

  close(): void {
    this.shutdown('local', 'closed by this client');
    endSoon(this.socket);
  }

  private hold(ms: number): void {
    this.writing = true;
    this.pacing = setTimeout(() => {
      this.pacing = undefined;
      this.writing = false;
      this.pump();
    }, ms);
  }

  private pump(): void {
    if (this.writing || !this.open) return;
    const next = this.queue[0];
    if (!next) return;
    const part = next.parts.shift()!;
    if (!next.entry) {
      next.entry = { to: next.to, failure: undefined, resolve: next.resolve, timer: undefined, settled: false };
      this.awaiting.push(next.entry);
    }
    this.writeRaw(part);
    if (next.parts.length === 0) {
      this.queue.shift();
      this.awaitLast(next.entry);
    }
    this.hold(this.timing.betweenSendsMs);
  }

  /** After the last part written, answers are awaited a while longer; then the message counts as sent. */
  private awaitLast(entry: Awaiting): void {
    entry.timer = setTimeout(() => {
      this.awaiting.splice(this.awaiting.indexOf(entry), 1);
      this.settle(entry, entry.failure ?? { status: 'sent' });
    }, this.timing.notFoundWaitMs);
  }

  private settle(entry: Awaiting, result: SendResult): void {
    if (entry.settled) return;
    entry.settled = true;
    entry.resolve(result);
  }

  /** The server refused a message while its later parts were still queued: they are not sent, and it fails at once. */
  private failEarly(entry: Awaiting): void {
    const index = this.queue.findIndex((outgoing) => outgoing.entry === entry);
    if (index === -1) return;
    this.queue.splice(index, 1);
    this.settle(entry, entry.failure!);
    this.awaitLast(entry);
  }

  private writeRaw(text: string): void {
    if (!this.socket.writable) return;
    const bytes = encodeUtf8(text);
    this.trace?.('out', bytes);
    this.socket.write(bytes);
  }

  private receive(data: Uint8Array): void {
    this.trace?.('in', data);
    this.reader.push(data);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.flushIncoming(false), this.timing.pauseMs);
  }

  private flushIncoming(force: boolean): void {
    this.pauseTimer = undefined;
    const { chunks, waitingForCharacter } = this.reader.flush(force);
    for (const chunk of chunks) {
      if (chunk.kind === 'text') this.incoming(chunk.text);
      else if (chunk.kind === 'invalid-utf8')
        this.events.fire({ type: 'notice', code: 'invalid-utf8', text: 'the server sent bytes that are not UTF-8' });
      else this.events.fire({ type: 'notice', code: 'over-long', text: 'the server sent an over-long message' });
    }
    if (waitingForCharacter) this.pauseTimer = setTimeout(() => this.flushIncoming(true), 10 * this.timing.pauseMs);
  }

  private incoming(raw: string): void {
    const line = parseIncoming(raw);
    const at = new Date().toISOString();
    switch (line.kind) {
      case 'not-found':
      case 'send-failed': {
        const entry = this.awaiting.find((candidate) => candidate.to === line.recipient);
        if (entry) {
          entry.failure ??=
            line.kind === 'not-found'
              ? { status: 'unknown-peer' }
              : { status: 'rejected', reason: 'send-failed', detail: raw };
          this.failEarly(entry);
          return;
        }
        this.events.fire({ type: 'notice', text: raw });
        return;
      }
      case 'message':
        this.message(line.from, line.text, at);
        return;
      case 'notice':
        this.events.fire({ type: 'notice', text: line.text });
    }
  }

  private message(from: string, text: string, at: string): void {
    const open = this.openFences.get(from);
    const whole = open ? open.text + text : text;
    const snippet = snippetFromText(whole);
    if (snippet) {
      this.closeFence(from);
      this.events.fire({ type: 'snippet', from, snippet, at: open?.at ?? at });
      return;
    }
    if (open || /^`{3,}/.test(text)) {
      if (open) clearTimeout(open.timer);
      this.openFences.set(from, {
        text: whole,
        at: open?.at ?? at,
        timer: setTimeout(() => this.releaseFence(from), FENCE_WAIT_MS),
      });
      // No snippet is larger: a fence that never closes is shown as the text it is, and collected no further.
      if (whole.length > MAX_SNIPPET_BYTES) this.releaseFence(from);
      return;
    }
    this.events.fire({ type: 'message', from, text, at });
  }

  /** The rest of a fence never came: show what did, as text. */
  private releaseFence(from: string): void {
    const open = this.openFences.get(from);
    if (!open) return;
    this.closeFence(from);
    this.events.fire({ type: 'message', from, text: open.text, at: open.at });
  }

  private closeFence(from: string): void {
    const open = this.openFences.get(from);
    if (open) clearTimeout(open.timer);
    this.openFences.delete(from);
  }

  private shutdown(reason: CloseReason, detail: string): void {
    if (!this.open) return;
    this.open = false;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.flushIncoming(true);
    for (const from of [...this.openFences.keys()]) this.releaseFence(from);
    if (this.pacing) clearTimeout(this.pacing);
    for (const outgoing of this.queue.splice(0)) {
      if (outgoing.entry) this.settle(outgoing.entry, outgoing.entry.failure ?? { status: 'disconnected' });
      else outgoing.resolve({ status: 'disconnected' });
    }
    for (const entry of this.awaiting.splice(0)) {
      if (entry.timer) clearTimeout(entry.timer);
      this.settle(entry, entry.failure ?? { status: 'sent' });
    }
    this.events.fire({ type: 'closed', reason, detail });
    this.events.clear();
  }
}
