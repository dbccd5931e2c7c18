/** A client speaking the framed protocol (docs/protocol.md): our extension and CLI. */
import {
  DEFAULT_LIMITS,
  FEATURES,
  type ClientFrame,
  type ErrorCode,
  type Feature,
  type ServerFrame,
} from '../../protocol/frames';
import { FrameDecoder, frameText, type DecodedLine } from '../../protocol/frameCodec';
import { parseClientFrame } from '../../protocol/clientFrameParser';
import { PROTOCOL_VERSIONS } from '../../protocol/limits';
import { checkName } from '../../protocol/names';
import type { Role, Standing } from '../../protocol/classroom';
import type { SessionIo } from '../connections/clientConnection';
import { printable } from '../log';
import { DELIVERED, RECIPIENT_BUSY, TOO_LARGE, type Delivery, type Envelope } from '../routing/peer';
import type { PresenceChange } from '../routing/presenceFeed';
import { batchBytes, eventBytes } from './presenceFrames';
import { FramedRequests, type Requester } from './framedRequests';
import { RELAY_DEFAULTS } from '../policy/defaults';
import { teacherProof } from './teacherProof';
import type { Hub, JoinResult } from '../routing/hub';
import { ClaimWait, HELD_BEFORE_WELCOME } from './claimWait';
import { framedRefusal } from './joinRefusals';
import { answerClassRequest } from './classRequests';
import { outputSize, type Output } from '../budgets/outbound';
import { earlierHintText, envelopeText } from './envelopeText';

const NO_FEATURES: readonly Feature[] = [];

/** What the welcome needs of a hello once its name is the client's. */
interface Welcoming {
  frame: Extract<ClientFrame, { type: 'hello' }>;
  name: string;
  version: number;
  code: string | undefined;
}

export class FramedSession implements Requester {
  readonly dialect = 'relay';
  private registeredName: string | undefined;
  private features = NO_FEATURES;
  private isTeacher = false;
  /** The client said goodbye, or a teacher disconnected it: nothing is kept for a resume. */
  private done = false;
  private readonly decoder = new FrameDecoder(DEFAULT_LIMITS.frameBytes);
  private closed = false;
  private readonly requests: FramedRequests;
  /** Set while what the client missed waits for room in its output. */
  private replayTimer: NodeJS.Timeout | undefined;
  /** The class it registered in; until then, the default class. */
  private joinedRoom: Hub;
  /** Frames that came while the name was being claimed across relay nodes: handled once it is. */
  private readonly claim = new ClaimWait<DecodedLine>();

  constructor(
    private readonly io: SessionIo,
    private readonly serverId: string,
  ) {
    this.requests = new FramedRequests(io, this);
    this.joinedRoom = io.rooms.main;
  }

  get room(): Hub {
    return this.joinedRoom;
  }

  /** Whether this client presented the teacher key. */
  get teacher(): boolean {
    return this.isTeacher;
  }

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
    return this.isTeacher ? 'teacher' : 'student';
  }

  standingChanged(standing: Standing): void {
    const frame: ServerFrame = { type: 'self', role: this.role };
    if (standing.hand) frame.hand = standing.hand;
    if (standing.muted) frame.muted = standing.muted;
    this.write(frame);
  }

  /** Every newcomer gets the same bytes for a kept hint: encoded once (earlier hints are not numbered). */
  earlierHints(hints: Envelope[]): void {
    for (const hint of hints) this.deliverOutput(earlierHintText(hint));
  }

  hintsCleared(by: string, at: string): void {
    this.write({ type: 'hints-cleared', by, at });
  }

  roster(frame: Uint8Array): void {
    if (this.isTeacher) this.reply(frame);
  }

  get releasesName(): boolean {
    return this.done;
  }

  kick(reason: string): void {
    this.done = true;
    this.io.log.always('closed', this.name, `disconnected by a teacher: ${printable(reason, 200)}`);
    this.refuse('disconnected-by-teacher', reason);
  }

  classEnded(code: string): void {
    this.done = true;
    this.io.log.always('closed', this.name, `class ${code} ended`);
    this.refuse('class-ended', `class ${code} was ended by whoever runs the relay; its code no longer works`);
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
      if (!this.claim.waiting) this.line(line);
      else if (!this.claim.hold(line))
        this.refuse('too-many-errors', `more than ${HELD_BEFORE_WELCOME} frames before the welcome`);
    }
  }

  private line(line: DecodedLine): void {
    if (line.kind === 'error') {
      this.fail(line.code, line.message);
      return;
    }
    const parsed = parseClientFrame(line.value);
    if (!parsed.ok) this.fail(parsed.code, parsed.message);
    else this.handle(parsed.frame);
  }

  end(): void {
    if (this.decoder.pendingBytes > 0)
      this.io.log.write(
        'error',
        this.subject,
        `connection ended inside a frame (${this.decoder.pendingBytes} bytes dropped)`,
      );
  }

  deliver(envelope: Envelope, seq?: number): Delivery {
    if (this.replayTimer) return RECIPIENT_BUSY;
    return this.deliverOutput(envelopeText(envelope, seq));
  }

  private deliverOutput(output: Output, size = outputSize(output)): Delivery {
    if (size > DEFAULT_LIMITS.frameBytes) return TOO_LARGE;
    // A message the output refuses (past the connection's cap or the relay's budget) is not written.
    if (this.closed || !this.io.out.write(output, 'message', undefined, size)) return RECIPIENT_BUSY;
    return DELIVERED;
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
    const error: ServerFrame = { type: 'error', code, message, fatal: true };
    this.last(supported ? { ...error, supported } : error, code);
  }

  /** The relay's last frame to this client, then the connection is closed. */
  last(frame: ServerFrame, reason: string): void {
    this.write(frame);
    this.closed = true;
    this.io.hangUp(reason);
  }

  dispose(): void {
    this.closed = true;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
  }

  /**
   * What a resumed client missed, in order and before anything new: as much as its output takes
   * now, the rest as it reads. Messages for it meanwhile are refused (recipient-busy), so nothing
   * overtakes what it missed and nothing acknowledged is lost.
   */
  private replay(missed: Envelope[]): void {
    this.replayTimer = undefined;
    let next = 0;
    while (next < missed.length && !this.closed) {
      const text = frameText(missed[next]!);
      const size = outputSize(text);
      if (size <= DEFAULT_LIMITS.frameBytes && !this.io.out.fits(size)) {
        this.replayTimer = setTimeout(() => this.replay(missed.slice(next)), RELAY_DEFAULTS.replayRetryMs.value);
        return;
      }
      this.deliverOutput(text, size);
      next++;
    }
  }

  write(frame: ServerFrame): void {
    this.reply(frameText(frame));
  }

  /** A reply already written as its line's text (an ack made without an object for it). */
  writeText(text: string): void {
    this.reply(text);
  }

  private reply(output: Output): void {
    if (!this.closed) this.io.out.write(output, 'reply');
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
      case 'class-create':
      case 'class-list':
      case 'class-end':
        if (this.registered)
          this.fail('already-registered', 'class requests come on a connection of their own, instead of a hello');
        else answerClassRequest(frame, this.io, this);
        return;
      case 'who':
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.requests.who(frame);
        return;
      case 'bye':
        this.done = true;
        return;
      case 'hand':
      case 'clear-hints':
      case 'moderate':
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.requests.classwork(frame);
        return;
      default:
        if (!this.registered) this.fail('hello-required', 'the first frame must be "hello"');
        else this.requests.relay(frame);
    }
  }

  private hello(frame: Welcoming['frame']): void {
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
    const room = this.io.rooms.lookup(frame.class);
    if (!room.ok) {
      this.io.log.write('refused', this.io.remote, `name "${check.name}": class ${printable(frame.class ?? '')}`);
      if (room.problem === 'full') this.refuse('too-many-connections', room.detail);
      else this.refuse('unknown-class', `${room.detail}; check the code with your teacher`);
      return;
    }
    this.joinedRoom = room.hub;
    if (frame.teacherKey !== undefined) {
      const { teacherKey, resume } = frame;
      const proof = teacherProof(this.room, room.code, check.name, teacherKey, resume, this.io.address);
      if (!proof.ok) {
        this.io.log.write('refused', this.io.remote, proof.log);
        this.refuse(proof.code, proof.message);
        return;
      }
      this.isTeacher = true;
    }
    this.registeredName = check.name;
    const joined = this.room.join(this, frame.resume);
    const welcoming = { frame, name: check.name, version: Math.max(...common), code: room.code };
    if (!(joined instanceof Promise)) {
      this.joined(joined, welcoming);
      return;
    }
    // The name is claimed across relay nodes: what the client sends meanwhile waits its turn.
    this.claim.wait(joined, {
      isClosed: () => this.closed,
      leave: (result) => this.room.unwelcomed(this, result, frame.resume),
      joined: (result) => this.joined(result, welcoming),
      next: (line) => this.line(line),
      failed: (error) => {
        this.io.log.write('error', this.subject, `registration failed: ${printable(String(error), 200)}`);
        this.refuse('node-unavailable', 'this relay node could not register the name; connect to another node');
      },
    });
  }

  private joined(joined: JoinResult, { frame, name, version, code }: Welcoming): void {
    if (!joined.ok) {
      this.registeredName = undefined;
      const refusal = framedRefusal(joined, name, this.io.address);
      this.io.log.write('refused', this.io.remote, refusal.log);
      this.refuse(refusal.code, refusal.message);
      return;
    }
    this.io.registered();
    this.features = frame.features?.length === FEATURES.length ? FEATURES : (frame.features ?? NO_FEATURES);
    const first = this.room.page(this, this.io.policy.welcomeNames);
    const welcome: ServerFrame = {
      type: 'welcome',
      version,
      name,
      online: first.names,
      limits: DEFAULT_LIMITS,
      server: this.serverId,
      onlineTotal: first.total,
    };
    if (this.features.length > 0) welcome.features = [...this.features];
    if (joined.token !== undefined) welcome.resume = joined.token;
    if (joined.resumed) welcome.resumed = true;
    welcome.role = this.role;
    if (code !== undefined) welcome.class = code;
    // A welcome (kilobytes of names) from Node's pooled memory: an array of its own each fragments the relay's memory.
    this.reply(Buffer.from(`${JSON.stringify(welcome)}\n`));
    this.room.classroom.joined(this.room.keyOf(name), this);
    this.replay(joined.missed);
    const client = frame.client ? ` (${printable(frame.client, 40)})` : '';
    this.io.log.joined(
      this.io.address,
      name,
      `${this.isTeacher ? 'teacher' : 'relay client'} from ${this.io.remote}${client}` +
        `${code === undefined ? '' : ` in class ${code}`}${joined.resumed ? ', resumed' : ''}`,
    );
  }

  private get subject(): string {
    return this.registeredName ?? this.io.remote;
  }
}
