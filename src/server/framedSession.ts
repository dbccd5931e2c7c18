/** A client speaking the framed protocol (docs/protocol.md): our extension and CLI. */
import type { Socket } from 'node:net';
import {
  DEFAULT_LIMITS, FrameDecoder, encodeFrame, parseClientFrame,
  type ClientFrame, type ErrorCode, type ServerFrame,
} from '../protocol/framed';
import { MAX_PENDING_OUTPUT_BYTES, PROTOCOL_VERSIONS } from '../protocol/limits';
import { checkName } from '../protocol/names';
import { utf8Length } from '../protocol/utf8';
import type { Hub, RouteResult } from './hub';
import { printable, type RelayLog } from './log';
import type { Delivery, Envelope, Peer } from './peer';

type Sendable = Extract<ClientFrame, { type: 'send' | 'snippet' | 'broadcast' }>;

export class FramedSession implements Peer {
  readonly dialect = 'relay';
  private registeredName: string | undefined;
  private readonly decoder = new FrameDecoder(DEFAULT_LIMITS.frameBytes);
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly hub: Hub,
    private readonly log: RelayLog,
    private readonly serverId: string,
    private readonly remote: string,
  ) {}

  get name(): string {
    return this.registeredName ?? '';
  }

  get registered(): boolean {
    return this.registeredName !== undefined;
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
    if (this.decoder.pendingBytes > 0) this.log.write('error', this.who, `connection ended inside a frame (${this.decoder.pendingBytes} bytes dropped)`);
  }

  deliver(envelope: Envelope): Delivery {
    if (this.closed || this.socket.writableLength > MAX_PENDING_OUTPUT_BYTES) return { ok: false, reason: 'recipient-busy' };
    this.write(envelope);
    return { ok: true };
  }

  presence(event: 'join' | 'leave', name: string): void {
    this.write({ type: 'presence', event, name });
  }

  ping(): void {
    this.write({ type: 'ping' });
  }

  /** A fatal error: said to the client, then the connection is closed. */
  refuse(code: ErrorCode, message: string, supported?: number[]): void {
    this.write(supported ? { type: 'error', code, message, fatal: true, supported } : { type: 'error', code, message, fatal: true });
    this.closed = true;
    this.socket.end();
  }

  dispose(): void {
    this.closed = true;
  }

  private write(frame: ServerFrame): void {
    if (!this.closed && this.socket.writable) this.socket.write(encodeFrame(frame));
  }

  private fail(code: ErrorCode, message: string): void {
    this.log.write('error', this.who, `${code}: ${message}`);
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
      this.refuse('unsupported-version', `none of the versions ${frame.versions.join(', ')} is supported`, [...PROTOCOL_VERSIONS]);
      this.log.write('refused', this.remote, `unsupported versions ${frame.versions.join(',')}`);
      return;
    }
    const check = checkName(frame.name);
    if (!check.ok) {
      this.refuse(check.problem === 'reserved' ? 'name-reserved' : 'name-invalid', `invalid name ${printable(frame.name)}: ${check.detail}`);
      this.log.write('refused', this.remote, `name ${printable(frame.name)}: ${check.detail}`);
      return;
    }
    this.registeredName = check.name;
    const online = this.hub.online;
    if (!this.hub.join(this)) {
      this.registeredName = undefined;
      this.refuse('name-taken', `the name "${check.name}" is already taken`);
      this.log.write('refused', this.remote, `name "${check.name}" is taken`);
      return;
    }
    this.write({ type: 'welcome', version: Math.max(...common), name: check.name, online, limits: DEFAULT_LIMITS, server: this.serverId });
    this.log.write('join', check.name, `relay client from ${this.remote}${frame.client ? ` (${printable(frame.client, 40)})` : ''}`);
  }

  private relay(frame: Sendable): void {
    const previous = this.hub.previousOutcome(this.name, frame.id);
    if (previous) {
      this.ack(frame.id, previous, { duplicate: true });
      return;
    }
    const tooLarge = this.oversize(frame);
    if (tooLarge) {
      this.write({ type: 'ack', id: frame.id, status: 'rejected', reason: 'too-large', detail: tooLarge });
      return;
    }
    const at = new Date().toISOString();
    if (frame.type === 'broadcast') {
      const recipients = this.hub.broadcast(this, { type: 'broadcast', from: this.name, text: frame.text, at, id: frame.id });
      this.remember(frame.id, { status: 'delivered' });
      this.ack(frame.id, { status: 'delivered' }, { recipients });
      return;
    }
    if (frame.to.trim() === '') {
      this.write({ type: 'ack', id: frame.id, status: 'rejected', reason: 'invalid-recipient', detail: 'the recipient is empty' });
      return;
    }
    const envelope: Envelope = frame.type === 'send'
      ? { type: 'message', from: this.name, text: frame.text, at, id: frame.id }
      : { type: 'snippet', from: this.name, snippet: frame.snippet, at, id: frame.id };
    const result = this.hub.route(frame.to, envelope);
    this.remember(frame.id, result);
    this.ack(frame.id, result);
  }

  private remember(id: string, result: RouteResult): void {
    if (result.status === 'delivered') this.hub.remember(this.name, id, result);
  }

  private ack(id: string, result: RouteResult, extra: { duplicate?: true; recipients?: number } = {}): void {
    const frame: ServerFrame = result.status === 'rejected'
      ? { type: 'ack', id, status: 'rejected', reason: result.reason, detail: 'the recipient is not reading; try again later' }
      : { type: 'ack', id, status: result.status };
    this.write({ ...frame, ...extra });
  }

  private oversize(frame: Sendable): string | undefined {
    const [bytes, limit, what] = frame.type === 'snippet'
      ? [utf8Length(frame.snippet.code), DEFAULT_LIMITS.snippetBytes, 'snippet code']
      : [utf8Length(frame.text), DEFAULT_LIMITS.textBytes, 'text'];
    return bytes > limit ? `the ${what} has ${bytes} bytes; at most ${limit} are allowed` : undefined;
  }

  private get who(): string {
    return this.registeredName ?? this.remote;
  }
}
