/** A client speaking the framed protocol (docs/protocol.md): our extension and CLI. */
import {
  DEFAULT_LIMITS,
  FrameDecoder,
  encodeFrame,
  parseClientFrame,
  type ClientFrame,
  type ErrorCode,
  type Feature,
  type RejectReason,
  type ServerFrame,
  type Snippet,
} from '../protocol/framed';
import { MAX_ID_LENGTH, PROTOCOL_VERSIONS } from '../protocol/limits';
import { checkName, nameKey } from '../protocol/names';
import { hasControls } from '../protocol/sanitize';
import type { Role } from '../protocol/classroom';
import type { Standing } from './classroom';
import { utf8Length } from '../protocol/utf8';
import type { SessionIo } from './clientConnection';
import type { RouteResult } from './hub';
import { printable } from './log';
import type { Delivery, Envelope, Peer } from './peer';
import type { PresenceChange } from './presenceFeed';

type Sendable = Extract<ClientFrame, { type: 'send' | 'snippet' | 'broadcast' }>;
type Classwork = Extract<ClientFrame, { type: 'hand' | 'clear-hints' | 'moderate' }>;

export class FramedSession implements Peer {
  readonly dialect = 'relay';
  private registeredName: string | undefined;
  private features: readonly Feature[] = [];
  private teacher = false;
  /** The client said goodbye, or a teacher disconnected it: nothing is kept for a resume. */
  private done = false;
  private readonly decoder = new FrameDecoder(DEFAULT_LIMITS.frameBytes);
  private closed = false;

  constructor(
    private readonly io: SessionIo,
    private readonly serverId: string,
  ) {}

  get name(): string {
    return this.registeredName ?? '';
  }

  get registered(): boolean {
    return this.registeredName !== undefined;
  }

  get address(): string {
    return this.io.address;
  }

  get remote(): string {
    return this.io.remote;
  }

  get connectedAt(): number {
    return this.io.connectedAt;
  }

  get role(): Role {
    return this.teacher ? 'teacher' : 'student';
  }

  standingChanged(standing: Standing): void {
    const frame: ServerFrame = { type: 'self', role: this.role };
    if (standing.hand) frame.hand = standing.hand;
    if (standing.muted) frame.muted = standing.muted;
    this.write(frame);
  }

  earlierHints(hints: Envelope[]): void {
    for (const hint of hints) this.deliver({ ...hint, earlier: true } as Envelope);
  }

  hintsCleared(by: string, at: string): void {
    this.write({ type: 'hints-cleared', by, at });
  }

  roster(frame: Uint8Array): void {
    if (this.teacher) this.reply(frame);
  }

  get releasesName(): boolean {
    return this.done;
  }

  kick(reason: string): void {
    this.done = true;
    this.io.log.always('closed', this.name, `disconnected by a teacher: ${printable(reason, 200)}`);
    this.refuse('disconnected-by-teacher', reason);
  }

  replaced(): void {
    this.io.log.always('closed', this.name, 'taken over by a new connection of the same client');
    this.refuse(
      'replaced',
      'a new connection of this client (with its resume token) took the name over; this one is closed',
    );
  }

  receive(data: Uint8Array): void {
    for (const line of this.decoder.push(data)) {
      if (this.closed) return;
      if (line.kind === 'error') {
        this.fail(line.code, line.message);
        continue;
      }
      const parsed = parseClientFrame(line.value);
      if (!parsed.ok) this.fail(parsed.code, parsed.message);
      else this.handle(parsed.frame);
    }
  }

  end(): void {
    if (this.decoder.pendingBytes > 0)
      this.io.log.write(
        'error',
        this.subject,
        `connection ended inside a frame (${this.decoder.pendingBytes} bytes dropped)`,
      );
  }

  deliver(envelope: Envelope): Delivery {
    const bytes = encodeFrame(envelope);
    if (bytes.length > DEFAULT_LIMITS.frameBytes) return { ok: false, reason: 'too-large' };
    if (this.closed || !this.io.out.fits(bytes.length)) return { ok: false, reason: 'recipient-busy' };
    this.io.out.write(bytes, 'message');
    return { ok: true };
  }

  presence(change: PresenceChange): void {
    if (!this.registered) return;
    // Right after joining, the batch may name this client itself; it gets the batch without itself.
    const own = change.joined.includes(this.name) || change.left.includes(this.name);
    const shown = own
      ? {
          ...change,
          joined: change.joined.filter((name) => name !== this.name),
          left: change.left.filter((name) => name !== this.name),
        }
      : change;
    if (own && shown.joined.length + shown.left.length === 0) return;
    const bytes = this.features.includes('presence-batch') ? batchBytes(shown) : eventBytes(shown);
    if (bytes.length > 0) this.reply(bytes);
  }

  ping(): void {
    this.write({ type: 'ping' });
  }

  /** A fatal error: said to the client, then the connection is closed. */
  refuse(code: ErrorCode, message: string, supported?: number[]): void {
    this.write(
      supported
        ? { type: 'error', code, message, fatal: true, supported }
        : { type: 'error', code, message, fatal: true },
    );
    this.closed = true;
    this.io.hangUp(code);
  }

  dispose(): void {
    this.closed = true;
  }

  private write(frame: ServerFrame): void {
    this.reply(encodeFrame(frame));
  }

  private reply(bytes: Uint8Array): void {
    if (!this.closed) this.io.out.write(bytes, 'reply');
  }

  /** A non-fatal error; too many of them in a window close the connection. */
  private fail(code: ErrorCode, message: string): void {
    this.io.log.write('error', this.subject, `${code}: ${message}`);
    if (this.io.countError()) return;
    this.write({ type: 'error', code, message, fatal: false });
  }

  private handle(frame: ClientFrame): void {
    switch (frame.type) {
      case 'ping':
        this.write(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
        return;
      case 'pong':
        return;
      case 'hello':
        this.hello(frame);
        return;
      case 'who':
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.answerWho(frame);
        return;
      case 'bye':
        this.done = true;
        return;
      case 'hand':
      case 'clear-hints':
      case 'moderate':
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.classwork(frame);
        return;
      default:
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.relay(frame);
    }
  }

  private hello(frame: Extract<ClientFrame, { type: 'hello' }>): void {
    if (this.registered) {
      this.fail('already-registered', `this connection is already registered as "${this.name}"`);
      return;
    }
    const common = frame.versions.filter((version) => (PROTOCOL_VERSIONS as readonly number[]).includes(version));
    if (common.length === 0) {
      this.io.log.write('refused', this.io.remote, `unsupported versions ${frame.versions.slice(0, 10).join(',')}`);
      this.refuse(
        'unsupported-version',
        `none of the versions ${frame.versions.slice(0, 10).join(', ')} is supported`,
        [...PROTOCOL_VERSIONS],
      );
      return;
    }
    const check = checkName(frame.name);
    if (!check.ok) {
      this.io.log.write('refused', this.io.remote, `name ${printable(frame.name)}: ${check.detail}`);
      this.refuse(
        check.problem === 'reserved' ? 'name-reserved' : 'name-invalid',
        `invalid name ${printable(frame.name)}: ${check.detail}`,
      );
      return;
    }
    if (frame.teacherKey !== undefined) {
      const classroom = this.io.hub.classroom;
      const vouched = this.io.hub.resumesTeacher(check.name, frame.resume);
      if (!classroom.keyAttempt(this.io.address, classroom.isTeacherKey(frame.teacherKey), vouched)) {
        if (vouched) this.io.hub.spendResume(check.name);
        // The key itself is never logged nor repeated.
        this.io.log.write('refused', this.io.remote, `name "${check.name}": wrong teacher key`);
        this.refuse(
          'teacher-key-invalid',
          this.io.hub.classroom.hasTeacherKey
            ? 'the teacher key is not right; ask whoever runs the relay for it, or connect without it as a student'
            : 'this relay has no teachers; connect without a teacher key',
        );
        return;
      }
      this.teacher = true;
    }
    this.registeredName = check.name;
    const joined = this.io.hub.join(this, frame.resume);
    if (!joined.ok) {
      const { holder, held } = joined;
      this.registeredName = undefined;
      const looksLike = held
        ? `; it is held for a minute for the client that had it and lost its connection`
        : nameKey(holder) !== nameKey(check.name)
          ? `; it looks the same as "${holder}", who is connected`
          : '';
      this.io.log.write('refused', this.io.remote, `name "${check.name}" is taken${looksLike}`);
      this.refuse('name-taken', `the name "${check.name}" is already taken${looksLike}`);
      return;
    }
    this.io.registered();
    this.features = frame.features ?? [];
    const first = this.io.hub.page(this, this.io.policy.welcomeNames);
    const welcome: ServerFrame = {
      type: 'welcome',
      version: Math.max(...common),
      name: check.name,
      online: first.names,
      limits: DEFAULT_LIMITS,
      server: this.serverId,
      onlineTotal: first.total,
    };
    if (this.features.length > 0) welcome.features = [...this.features];
    if (joined.token !== undefined) welcome.resume = joined.token;
    if (joined.resumed) welcome.resumed = true;
    welcome.role = this.role;
    this.write(welcome);
    this.io.hub.classroom.joined(this.io.hub.keyOf(check.name), this);
    for (const missed of joined.missed) this.deliver(missed);
    const client = frame.client ? ` (${printable(frame.client, 40)})` : '';
    this.io.log.always(
      'join',
      check.name,
      `${this.teacher ? 'teacher' : 'relay client'} from ${this.io.remote}${client}${joined.resumed ? ', resumed' : ''}`,
    );
  }

  private answerWho(frame: Extract<ClientFrame, { type: 'who' }>): void {
    if (this.limited(frame.id)) return;
    const page = this.io.hub.page(this, this.io.policy.welcomeNames, frame.after);
    this.write({ type: 'online', id: frame.id, ...page });
  }

  private relay(frame: Sendable): void {
    const previous = this.io.hub.previousOutcome(this.name, frame.id);
    if (previous) {
      this.ack(frame.id, previous, { duplicate: true });
      return;
    }
    const problem = this.problem(frame);
    if (problem) {
      this.reject(frame.id, problem.reason, problem.detail);
      return;
    }
    const muted = this.io.hub.classroom.mutedUntil(this.io.hub.keyOf(this.name));
    if (muted) {
      this.reject(
        frame.id,
        'muted',
        muted.until ? `a teacher muted you until ${muted.until}` : 'a teacher muted you until they unmute you',
      );
      return;
    }
    if (this.limited(frame.id)) return;
    const at = new Date().toISOString();
    if (frame.type === 'broadcast') {
      const hint: Extract<Envelope, { type: 'broadcast' }> = frame.snippet
        ? {
            type: 'broadcast',
            from: this.name,
            text: snippetSummary(frame.snippet),
            snippet: frame.snippet,
            at,
            id: frame.id,
          }
        : { type: 'broadcast', from: this.name, text: frame.text, at, id: frame.id };
      const recipients = this.io.hub.broadcast(this, hint);
      this.remember(frame.id, { status: 'delivered' });
      this.ack(frame.id, { status: 'delivered' }, { recipients });
      return;
    }
    const envelope: Envelope =
      frame.type === 'send'
        ? { type: 'message', from: this.name, text: frame.text, at, id: frame.id }
        : { type: 'snippet', from: this.name, snippet: frame.snippet, at, id: frame.id };
    const result = this.io.hub.route(this, frame.to, envelope);
    this.remember(frame.id, result);
    this.ack(frame.id, result);
  }

  /** Takes a token of the sender's rate; when there is none, the request is refused and true returned. */
  private limited(id: string): boolean {
    const wait = this.io.rate.take(this.io.hub.keyOf(this.name));
    if (wait === undefined) return false;
    this.reject(id, 'rate-limited', `too many messages; wait ${Math.ceil(wait / 1000)} s before sending again`);
    return true;
  }

  /** What makes a message unsendable, before it costs the sender a token. */
  private problem(frame: Sendable): { reason: RejectReason; detail: string } | undefined {
    const tooLarge = oversize(frame);
    if (tooLarge) return { reason: 'too-large', detail: tooLarge };
    if (frame.type === 'broadcast' && !this.teacher)
      return { reason: 'not-allowed', detail: 'only teachers can send to everyone' };
    if (frame.type !== 'broadcast' && frame.to.trim() === '')
      return { reason: 'invalid-recipient', detail: 'the recipient is empty' };
    const snippet = frame.type === 'snippet' ? frame.snippet : frame.type === 'broadcast' ? frame.snippet : undefined;
    const bad = snippet && badSnippetField(snippet);
    if (bad) return { reason: 'invalid-snippet', detail: `the snippet's "${bad}" contains control characters` };
    return undefined;
  }

  /** Raising a hand (students), clearing hints and moderating (teachers). */
  private classwork(frame: Classwork): void {
    const classroom = this.io.hub.classroom;
    const key = this.io.hub.keyOf(this.name);
    if (frame.type === 'hand') {
      if (this.limited(frame.id)) return;
      if (frame.up) classroom.raiseHand(key, this, frame.question);
      else classroom.lowerHand(key, this);
      this.write({ type: 'ack', id: frame.id, status: 'delivered' });
      return;
    }
    if (!this.teacher) {
      this.reject(
        frame.id,
        'not-allowed',
        frame.type === 'clear-hints' ? 'only teachers can clear the hints' : 'only teachers can do this',
      );
      return;
    }
    if (frame.type === 'clear-hints') {
      classroom.clearHints(this.name);
      this.io.log.always('class', this.name, 'cleared the hints');
      this.write({ type: 'ack', id: frame.id, status: 'delivered' });
      return;
    }
    const targetKey = this.io.hub.keyOf(frame.name);
    const result = classroom.moderate(frame, targetKey, this.io.hub.holder(frame.name));
    if (result.status === 'delivered')
      this.io.log.always('class', this.name, `${frame.action} ${printable(frame.name, 40)}`);
    this.write(
      result.status === 'rejected'
        ? { type: 'ack', id: frame.id, status: 'rejected', reason: result.reason, detail: result.detail }
        : { type: 'ack', id: frame.id, status: result.status },
    );
  }

  /** Refusals for being too fast or muted are the relay's rules, not the client's errors: they do not spend the error budget. */
  private reject(id: string, reason: RejectReason, detail: string): void {
    this.io.log.write('error', this.subject, `message ${printable(id, MAX_ID_LENGTH)} rejected: ${reason}`);
    if (reason !== 'rate-limited' && reason !== 'muted' && this.io.countError()) return;
    this.write({ type: 'ack', id, status: 'rejected', reason, detail });
  }

  private remember(id: string, result: RouteResult): void {
    if (result.status === 'delivered') this.io.hub.remember(this.name, id, result);
  }

  private ack(id: string, result: RouteResult, extra: { duplicate?: true; recipients?: number } = {}): void {
    const detail =
      result.status !== 'rejected'
        ? ''
        : result.reason === 'too-large'
          ? `not forwarded: the message would be larger than ${DEFAULT_LIMITS.frameBytes} bytes (control characters take more room once escaped)`
          : 'the recipient is not reading; try again later';
    const frame: ServerFrame =
      result.status === 'rejected'
        ? { type: 'ack', id, status: 'rejected', reason: result.reason, detail }
        : { type: 'ack', id, status: result.status };
    this.write({ ...frame, ...extra });
  }

  private get subject(): string {
    return this.registeredName ?? this.io.remote;
  }
}

function oversize(frame: Sendable): string | undefined {
  const code = frame.type === 'snippet' ? frame.snippet : frame.type === 'broadcast' ? frame.snippet : undefined;
  const text = frame.type === 'snippet' ? '' : frame.text;
  const [bytes, limit, what] = code
    ? [utf8Length(code.code), DEFAULT_LIMITS.snippetBytes, 'snippet code']
    : [utf8Length(text), DEFAULT_LIMITS.textBytes, 'text'];
  return bytes > limit ? `the ${what} has ${bytes} bytes; at most ${limit} are allowed` : undefined;
}

/** What a client that knows no snippet hints shows for one; the code itself travels once, in `snippet`. */
function snippetSummary(snippet: Snippet): string {
  const lines = snippet.code.split('\n').length;
  return `[${snippet.language} code${snippet.file ? ` from ${snippet.file}` : ''}, ${lines} line${lines === 1 ? '' : 's'}]`;
}

/** Metadata is shown on one line at the recipient (a caption, a course client's fence line). */
function badSnippetField(snippet: Snippet): 'language' | 'file' | undefined {
  if (hasControls(snippet.language)) return 'language';
  if (snippet.file !== undefined && hasControls(snippet.file)) return 'file';
  return undefined;
}

/** Presence for clients that asked for batches: one frame, encoded once for everyone. */
const batches = new WeakMap<PresenceChange, Uint8Array>();
function batchBytes(change: PresenceChange): Uint8Array {
  let bytes = batches.get(change);
  if (!bytes) {
    const frame: ServerFrame = {
      type: 'presence-batch',
      joined: change.joined,
      left: change.left,
      online: change.online,
    };
    if (change.truncated) frame.truncated = true;
    bytes = encodeFrame(frame);
    batches.set(change, bytes);
  }
  return bytes;
}

/** Presence for version-1 clients without batches: one frame per join and leave, still only once per batch. */
const events = new WeakMap<PresenceChange, Uint8Array>();
function eventBytes(change: PresenceChange): Uint8Array {
  let bytes = events.get(change);
  if (!bytes) {
    const frames = [
      ...change.left.map((name) => encodeFrame({ type: 'presence', event: 'leave', name })),
      ...change.joined.map((name) => encodeFrame({ type: 'presence', event: 'join', name })),
    ];
    bytes = Buffer.concat(frames);
    events.set(change, bytes);
  }
  return bytes;
}
