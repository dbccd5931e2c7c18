/**
 * A client speaking the course dialect: name first, then `Recipient:Text` messages. It gets
 * exactly what the course server would send it, and clear German errors where that server
 * would have dropped it.
 */
import { notFoundLine, parseAddressed, sendFailedLine } from '../../protocol/course';
import type { Role, Standing } from '../../protocol/classroom';
import { timeOfDayForLine } from '../../protocol/lineTime';
import { MAX_CLASS_CODE_BYTES, MAX_QUESTION_BYTES } from '../../protocol/limits';
import { utf8Length } from '../../protocol/utf8';
import { errorDetail } from '../../protocol/errorText';
import { escapeControls } from '../../protocol/sanitize';
import { CourseReader, type CourseChunk } from '../../protocol/courseReader';
import { checkName } from '../../protocol/names';
import type { SessionIo } from '../connections/clientConnection';
import { courseParts } from './courseRendering';
import { courseText } from './courseText';
import { printable } from '../log';
import { DELIVERED, RECIPIENT_BUSY, type Delivery, type Envelope, type Peer } from '../routing/peer';
import type { Hub, JoinResult, RouteResult } from '../routing/hub';
import { ClaimWait, HELD_BEFORE_WELCOME } from './claimWait';
import { courseRefusal } from './joinRefusals';
import { outputSize } from '../budgets/outbound';
import { isoTime } from './timeText';
import { splitClassedName } from '../../protocol/classCode';
import { cut } from '../../protocol/text';

export interface CourseTiming {
  /** Quiet time after which unterminated bytes are one message. */
  pauseMs: number;
  /** Gap between two writes to a pause-framed client, so each arrives in its own recv(). */
  writeGapMs: number;
  /** How long a message may wait for the rest of a split UTF-8 character. */
  characterWaitMs: number;
}

export class CourseSession implements Peer {
  readonly dialect = 'course';
  private registeredName: string | undefined;
  /** Messages that came while the name was being claimed across relay nodes: handled once it is. */
  private readonly claim = new ClaimWait<CourseChunk>();
  /** The standing this client was last told of, so it hears of changes only. */
  private shownHand = false;
  private shownMuted = false;
  private readonly reader: CourseReader;
  private pauseTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The class it registered in (`CODE/Name`); until then, the default class. */
  private joinedRoom: Hub;
  private rateKey: string | undefined;

  constructor(
    private readonly io: SessionIo,
    private readonly timing: CourseTiming,
    private readonly maxMessageBytes: number,
  ) {
    this.reader = new CourseReader(maxMessageBytes);
    this.joinedRoom = io.rooms.main;
  }

  get room(): Hub {
    return this.joinedRoom;
  }

  get name(): string {
    return this.registeredName ?? '';
  }

  get registered(): boolean {
    return this.registeredName !== undefined;
  }

  receive(data: Uint8Array): void {
    this.handle(this.reader.push(data));
    this.armPause(this.timing.pauseMs, 0);
  }

  /** The client half-closed: what it sent last is a whole message. */
  end(): void {
    this.clearPause();
    this.handle(this.reader.flush(true).chunks);
  }

  deliver(envelope: Envelope): Delivery {
    return this.write(envelope.from, courseParts(envelope, this.reader.framing === 'line'));
  }

  private write(from: string, parts: string[]): Delivery {
    if (this.closed) return RECIPIENT_BUSY;
    if (parts.length === 1) {
      // Most messages: one part, measured once.
      const size = outputSize(parts[0]!);
      if (!this.io.out.fits(size, from)) return RECIPIENT_BUSY;
      this.io.out.write(parts[0]!, 'message', from, size);
      return DELIVERED;
    }
    const bytes = parts.reduce((sum, part) => sum + outputSize(part), 0);
    if (!this.io.out.fits(bytes, from)) return RECIPIENT_BUSY;
    for (const part of parts) this.io.out.write(part, 'message', from);
    return DELIVERED;
  }

  get address(): string {
    return this.io.address;
  }

  presence(): void {
    // The course protocol has no presence; its clients see only messages.
  }

  replaced(): void {
    // Only framed clients resume a registration; a course client's name is never taken over.
  }

  get remote(): string {
    return this.io.remote;
  }

  get connectedAt(): number {
    return this.io.connectedAt;
  }

  /** Course clients cannot present a teacher key. */
  get role(): Role {
    return 'student';
  }

  standingChanged(standing: Standing): void {
    const hand = standing.hand !== undefined;
    const muted = standing.muted !== undefined;
    if (hand !== this.shownHand) this.reply(hand ? courseText.handUp() : courseText.handDown());
    if (muted !== this.shownMuted)
      this.reply(
        muted
          ? courseText.muted(standing.muted?.until && timeOfDayForLine(standing.muted.until))
          : courseText.unmuted(),
      );
    this.shownHand = hand;
    this.shownMuted = muted;
  }

  earlierHints(hints: Envelope[]): void {
    for (const hint of hints) this.write(hint.from, courseParts(hint, this.reader.framing === 'line', true));
  }

  hintsCleared(): void {
    // Course clients keep no hints; what they printed stays printed.
  }

  roster(): void {
    // Course clients are never teachers.
  }

  kick(reason: string): void {
    this.io.log.always('closed', this.name, `disconnected by a teacher: ${printable(reason, 200)}`);
    this.refuse(courseText.disconnectedByTeacher(escapeControls(reason)), 'disconnected by a teacher');
  }

  classEnded(code: string): void {
    this.io.log.always('closed', this.name, `class ${code} ended`);
    this.refuse(courseText.classEnded(code), 'class ended');
  }

  /** Says a last line and closes. */
  refuse(line: string, reason: string): void {
    this.reply(line);
    this.hangUp(reason);
  }

  dispose(): void {
    this.closed = true;
    this.clearPause();
  }

  private armPause(delay: number, waited: number): void {
    this.clearPause();
    if (this.reader.pendingBytes === 0 && this.reader.framing === 'line') return;
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = undefined;
      try {
        const force = waited >= this.timing.characterWaitMs;
        const result = this.reader.flush(force);
        this.handle(result.chunks);
        if (result.waitingForCharacter) this.armPause(this.timing.pauseMs, waited + delay);
      } catch (error) {
        // As for a read: a fault in one client's bytes closes that connection only.
        this.io.log.always('error', this.io.remote, `internal error, connection closed: ${errorDetail(error)}`);
        this.io.destroy('internal error');
      }
    }, delay);
  }

  private clearPause(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
  }

  private handle(chunks: CourseChunk[]): void {
    if (this.reader.framing === 'pause') this.io.pace(this.timing.writeGapMs);
    for (const chunk of chunks) {
      if (this.closed) return;
      if (!this.claim.waiting) this.chunk(chunk);
      else if (!this.claim.hold(chunk))
        this.refuse(courseText.tooFast(), `more than ${HELD_BEFORE_WELCOME} messages before the name was registered`);
    }
  }

  private chunk(chunk: CourseChunk): void {
    switch (chunk.kind) {
      case 'too-long':
        this.error(courseText.tooLong(chunk.limit), `message over ${chunk.limit} bytes discarded`);
        break;
      case 'invalid-utf8':
        this.error(courseText.invalidUtf8(), `${chunk.bytes} bytes of invalid UTF-8 discarded`);
        if (!this.registered) this.hangUp('invalid UTF-8 instead of a name');
        break;
      case 'text':
        if (this.registered) this.message(chunk.text);
        else this.register(chunk.text);
        break;
    }
  }

  private register(line: string): void {
    const { code, name: raw } = splitClassedName(line);
    const typed = code === undefined ? undefined : line.slice(0, line.indexOf('/'));
    const room = this.io.rooms.lookup(typed);
    if (!room.ok) {
      // As a message without a recipient, a mistyped code is answered, and the client may try again.
      const shown = cut(escapeControls((typed ?? '').trim()), MAX_CLASS_CODE_BYTES);
      if (room.problem === 'full') {
        this.io.log.write('refused', this.io.remote, room.detail);
        this.refuse(courseText.classFull(shown), 'class full');
      } else this.error(courseText.unknownClass(shown), `class ${printable(shown)}: ${room.detail}`);
      return;
    }
    const check = checkName(raw);
    if (!check.ok) {
      this.io.log.write('refused', this.io.remote, `name ${printable(raw)}: ${check.detail}`);
      this.refuse(courseText.nameInvalid(raw, check.problem), 'invalid name');
      return;
    }
    this.registeredName = check.name;
    this.joinedRoom = room.hub;
    const joined = this.room.join(this);
    if (!(joined instanceof Promise)) {
      this.joined(joined, check.name, room.code);
      return;
    }
    this.claim.wait(joined, {
      isClosed: () => this.closed,
      leave: () => this.room.leave(this, true),
      joined: (result) => this.joined(result, check.name, room.code),
      next: (chunk) => this.chunk(chunk),
      failed: (error) => {
        this.io.log.write('error', this.io.remote, `registration failed: ${printable(String(error), 200)}`);
        this.refuse(courseText.nodeUnavailable(), 'registration failed');
      },
    });
  }

  private joined(joined: JoinResult, name: string, code: string | undefined): void {
    if (!joined.ok) {
      this.registeredName = undefined;
      const { line, log, reason } = courseRefusal(joined, name);
      this.io.log.write('refused', this.io.remote, log);
      this.refuse(line, reason);
      return;
    }
    this.io.registered();
    this.io.log.joined(
      this.io.address,
      name,
      `course client from ${this.io.remote} (${this.reader.framing === 'line' ? 'newline-terminated' : 'unterminated'})` +
        (code === undefined ? '' : ` in class ${code}`),
    );
    this.room.classroom.joined(this.room.keyOf(name), this);
  }

  private message(message: string): void {
    const hand = handRequest(message);
    if (hand) {
      this.hand(hand.question);
      return;
    }
    const addressed = parseAddressed(message);
    if (!addressed || addressed.to.trim() === '') {
      this.error(courseText.missingRecipient(), 'message without recipient');
      return;
    }
    // Refusals for being muted or too fast are the relay's rules, not the client's errors: they do
    // not spend the error budget.
    // A muted student may still write to teachers.
    const muted = this.room.classroom.mutedUntil(this.room.keyOf(this.name));
    if (muted && this.room.holder(addressed.to)?.role !== 'teacher') {
      this.io.log.write('error', this.who, 'muted');
      this.reply(courseText.stillMuted(muted.until && timeOfDayForLine(muted.until)));
      return;
    }
    if (this.limited()) return;
    const result = this.room.route(this, addressed.to, {
      type: 'message',
      from: this.name,
      text: addressed.text,
      at: isoTime(),
    });
    if (result instanceof Promise)
      result.then(
        (settled) => this.routed(settled, addressed.to),
        (error: unknown) => this.io.log.always('error', this.name, `message not settled: ${String(error)}`),
      );
    else this.routed(result, addressed.to);
  }

  private routed(result: RouteResult, to: string): void {
    if (result.status === 'unknown-peer') this.reply(notFoundLine(to));
    else if (result.status === 'rejected')
      this.reply(result.reason === 'too-large' ? courseText.tooLong(this.maxMessageBytes) : sendFailedLine(to));
  }

  /**
   * `!hand` raises the hand (with an optional question), `!hand ab` lowers it; either counts
   * against the sender's rate, as a message does.
   */
  private hand(rest: string | undefined): void {
    const classroom = this.room.classroom;
    const key = this.room.keyOf(this.name);
    if (rest !== undefined && /^(ab|runter|weg|down)$/iu.test(rest)) {
      if (this.limited(courseText.handRateLimited)) return;
      if (!classroom.standingOf(key).hand) this.reply(courseText.handDown());
      classroom.lowerHand(key, this);
      return;
    }
    if (rest !== undefined && utf8Length(rest) > MAX_QUESTION_BYTES) {
      this.error(courseText.tooLong(MAX_QUESTION_BYTES), 'question too long');
      return;
    }
    if (this.limited(courseText.handRateLimited)) return;
    if (classroom.standingOf(key).hand) this.reply(courseText.handUp());
    classroom.raiseHand(key, this, rest || undefined);
  }

  /**
   * Takes a token of the sender's rate; when there is none, the client is told (`refusal`) how long
   * to wait and true returned.
   */
  private limited(refusal: (seconds: number) => string = courseText.rateLimited): boolean {
    // A session keeps its name and room once registered: its key in the limiter is worked out once.
    this.rateKey ??= this.room.rateKey(this.name);
    const wait = this.io.rate.take(this.rateKey);
    if (wait === undefined) return false;
    this.io.log.write('error', this.who, 'rate limited');
    this.reply(refusal(Math.ceil(wait / 1000)));
    return true;
  }

  /** A German error line for the client; too many of them in a window close the connection. */
  private error(line: string, logDetail: string): void {
    this.io.log.write('error', this.who, logDetail);
    if (this.io.countError()) return;
    this.reply(line);
  }

  private reply(text: string): void {
    if (!this.closed) this.io.out.write(this.lineOf(text), 'reply');
  }

  private hangUp(reason: string): void {
    this.closed = true;
    this.clearPause();
    this.io.hangUp(reason);
  }

  /** One course message; line-framed clients (netcat) get it newline-terminated. */
  private lineOf(text: string): string {
    return this.reader.framing === 'line' ? `${text}\n` : text;
  }

  private get who(): string {
    return this.registeredName ?? this.io.remote;
  }
}

/**
 * `!hand`, with an optional question (or `ab` to lower it), as netcat and the course's client
 * send it: the client sends `Recipient:Text`, so `!hand` as the recipient arrives as `!hand:Frage`
 * and `!hand Frage` with no text as `!hand Frage:`; that colon is the client's, not the question's.
 */
export function handRequest(message: string): { question: string | undefined } | undefined {
  // Nearly every message is chat: it is told apart without trimming a copy of it.
  if (!message.includes('!hand')) return undefined;
  const match = /^!hand(?=$|[\s:])(.*)$/su.exec(message.trim());
  if (!match) return undefined;
  let rest = match[1]!;
  if (rest.startsWith(':')) rest = rest.slice(1);
  else if (rest.endsWith(':')) rest = rest.slice(0, -1);
  rest = rest.trim();
  return { question: rest === '' ? undefined : rest };
}
