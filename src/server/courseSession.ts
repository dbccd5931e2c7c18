/**
 * A client speaking the course dialect: name first, then `Recipient:Text` messages. It gets
 * exactly what the course server would send it, and clear German errors where that server
 * would have dropped it.
 */
import type { Socket } from 'node:net';
import { forwardParts, notFoundLine, parseAddressed, sendFailedLine, snippetToText } from '../protocol/course';
import { CourseReader, type CourseChunk } from '../protocol/courseReader';
import { checkName } from '../protocol/names';
import { MAX_PENDING_OUTPUT_BYTES } from '../protocol/limits';
import { encodeUtf8, utf8Length } from '../protocol/utf8';
import { courseText } from './courseText';
import type { Hub } from './hub';
import { printable, type RelayLog } from './log';
import type { Delivery, Envelope, Peer } from './peer';

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
  private readonly reader: CourseReader;
  private pauseTimer: NodeJS.Timeout | undefined;
  private readonly outbox: string[] = [];
  private outboxBytes = 0;
  private writeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private hangingUp = false;

  constructor(
    private readonly socket: Socket,
    private readonly hub: Hub,
    private readonly log: RelayLog,
    private readonly timing: CourseTiming,
    maxMessageBytes: number,
    private readonly remote: string,
  ) {
    this.reader = new CourseReader(maxMessageBytes);
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
    const text = envelope.type === 'snippet' ? snippetToText(envelope.snippet) : envelope.text;
    const parts = forwardParts(envelope.from, text);
    const bytes = parts.reduce((sum, part) => sum + utf8Length(part), 0);
    if (this.closed || this.outboxBytes + bytes + this.socket.writableLength > MAX_PENDING_OUTPUT_BYTES) {
      return { ok: false, reason: 'recipient-busy' };
    }
    for (const part of parts) this.send(part);
    return { ok: true };
  }

  presence(): void {
    // The course protocol has no presence; its clients see only messages.
  }

  dispose(): void {
    this.closed = true;
    this.clearPause();
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    this.outbox.length = 0;
  }

  private armPause(delay: number, waited: number): void {
    this.clearPause();
    if (this.reader.pendingBytes === 0 && this.reader.framing === 'line') return;
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = undefined;
      const force = waited >= this.timing.characterWaitMs;
      const result = this.reader.flush(force);
      this.handle(result.chunks);
      if (result.waitingForCharacter) this.armPause(this.timing.pauseMs, waited + delay);
    }, delay);
  }

  private clearPause(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
  }

  private handle(chunks: CourseChunk[]): void {
    for (const chunk of chunks) {
      if (this.closed || this.hangingUp) return;
      switch (chunk.kind) {
        case 'too-long':
          this.send(courseText.tooLong(chunk.limit));
          this.log.write('error', this.who, `message over ${chunk.limit} bytes discarded`);
          break;
        case 'invalid-utf8':
          this.send(courseText.invalidUtf8());
          this.log.write('error', this.who, `${chunk.bytes} bytes of invalid UTF-8 discarded`);
          if (!this.registered) this.hangUp();
          break;
        case 'text':
          if (this.registered) this.message(chunk.text);
          else this.register(chunk.text);
          break;
      }
    }
  }

  private register(raw: string): void {
    const check = checkName(raw);
    if (!check.ok) {
      this.log.write('refused', this.remote, `name ${printable(raw)}: ${check.detail}`);
      this.send(courseText.nameInvalid(raw, check.problem));
      this.hangUp();
      return;
    }
    this.registeredName = check.name;
    if (!this.hub.join(this)) {
      this.registeredName = undefined;
      this.log.write('refused', this.remote, `name "${check.name}" is taken`);
      this.send(courseText.nameTaken(check.name));
      this.hangUp();
      return;
    }
    this.log.write('join', this.who, `course client from ${this.remote} (${this.reader.framing === 'line' ? 'newline-terminated' : 'unterminated'})`);
  }

  private message(message: string): void {
    const addressed = parseAddressed(message);
    if (!addressed || addressed.to.trim() === '') {
      this.send(courseText.missingRecipient());
      return;
    }
    const result = this.hub.route(addressed.to, { type: 'message', from: this.name, text: addressed.text, at: new Date().toISOString() });
    if (result.status === 'unknown-peer') this.send(notFoundLine(addressed.to));
    else if (result.status === 'rejected') this.send(sendFailedLine(addressed.to));
  }

  private get who(): string {
    return this.registeredName ? `${this.registeredName}` : this.remote;
  }

  /** Queues one course message; line-framed clients (netcat) get it newline-terminated. */
  private send(text: string): void {
    if (this.closed) return;
    if (this.reader.framing === 'line') {
      this.socket.write(`${text}\n`);
      return;
    }
    this.outbox.push(text);
    this.outboxBytes += utf8Length(text);
    if (!this.writeTimer) this.writeNext();
  }

  private writeNext(): void {
    const next = this.outbox.shift();
    if (next === undefined || this.closed) {
      this.writeTimer = undefined;
      if (this.hangingUp && !this.closed) this.finish();
      return;
    }
    this.outboxBytes -= utf8Length(next);
    this.socket.write(encodeUtf8(next));
    this.writeTimer = setTimeout(() => this.writeNext(), this.timing.writeGapMs);
  }

  /** Says a last word and closes: after the queued lines are written. */
  private hangUp(): void {
    this.hangingUp = true;
    if (!this.writeTimer) this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.socket.end();
  }
}
