/**
 * What a registered framed client asks of the relay, answered: messages, snippets and hints
 * (checked, rate-limited, routed and acknowledged once per id), pages of who is online, and the
 * classroom's requests (a raised hand; teachers clearing hints and moderating).
 */
import {
  DEFAULT_LIMITS,
  type ClientFrame,
  type RejectReason,
  type ServerFrame,
  type Snippet,
} from '../../protocol/frames';
import { MAX_ID_LENGTH } from '../../protocol/limits';
import { hasControls } from '../../protocol/sanitize';
import { utf8Length } from '../../protocol/utf8';
import type { SessionIo } from '../connections/clientConnection';
import type { Hub, RouteResult } from '../routing/hub';
import { printable } from '../log';
import type { Envelope, Peer } from '../routing/peer';
import { isoTime } from './timeText';
import type { ModerationResult } from '../classroom/classroom';

export type Sendable = Extract<ClientFrame, { type: 'send' | 'snippet' | 'broadcast' }>;
export type Classwork = Extract<ClientFrame, { type: 'hand' | 'clear-hints' | 'moderate' }>;

/** The session the requests come from: who it is, and how to answer it. */
export interface Requester extends Peer {
  readonly teacher: boolean;
  /** The room (class) the session registered in. */
  readonly room: Hub;
  write(frame: ServerFrame): void;
  /** A reply already written as its line's text. */
  writeText(text: string): void;
}

export class FramedRequests {
  private rateKey: string | undefined;

  constructor(
    private readonly io: SessionIo,
    private readonly session: Requester,
  ) {}

  /** Pages of who is online have their own allowance: re-reading the list spends none of the messages' rate. */
  who(frame: Extract<ClientFrame, { type: 'who' }>): void {
    const wait = this.session.room.takeWho(this.session.name);
    if (wait !== undefined) {
      this.reject(frame.id, 'rate-limited', `too many requests for the list; wait ${Math.ceil(wait / 1000)} s`);
      return;
    }
    const page = this.session.room.page(this.session, this.io.policy.welcomeNames, frame.after);
    this.session.write({ type: 'online', id: frame.id, ...page });
  }

  relay(frame: Sendable): void {
    const previous = this.session.room.previousOutcome(this.session.name, frame.id);
    if (previous) {
      this.ack(frame.id, previous, { duplicate: true });
      return;
    }
    const problem = this.problem(frame);
    if (problem) {
      this.reject(frame.id, problem.reason, problem.detail);
      return;
    }
    // A muted student may still write to teachers; hints are teachers' own, who are never muted.
    const muted = this.session.room.classroom.mutedUntil(this.session.room.keyOf(this.session.name));
    if (muted && (frame.type === 'broadcast' || this.session.room.holder(frame.to)?.role !== 'teacher')) {
      this.reject(
        frame.id,
        'muted',
        muted.until ? `a teacher muted you until ${muted.until}` : 'a teacher muted you until they unmute you',
      );
      return;
    }
    if (this.limited(frame.id)) return;
    const at = isoTime();
    if (frame.type === 'broadcast') {
      const hint: Extract<Envelope, { type: 'broadcast' }> = frame.snippet
        ? {
            type: 'broadcast',
            from: this.session.name,
            text: snippetSummary(frame.snippet),
            snippet: frame.snippet,
            at,
            id: frame.id,
          }
        : { type: 'broadcast', from: this.session.name, text: frame.text, at, id: frame.id };
      const recipients = this.session.room.broadcast(this.session, hint);
      this.remember(frame.id, { status: 'delivered' });
      this.ack(frame.id, { status: 'delivered' }, { recipients });
      return;
    }
    const envelope: Envelope =
      frame.type === 'send'
        ? { type: 'message', from: this.session.name, text: frame.text, at, id: frame.id }
        : { type: 'snippet', from: this.session.name, snippet: frame.snippet, at, id: frame.id };
    const result = this.session.room.route(this.session, frame.to, envelope);
    if (result instanceof Promise)
      result.then(
        (settled) => this.settle(frame.id, settled),
        (error: unknown) => this.io.log.always('error', this.session.name, `message not settled: ${String(error)}`),
      );
    else this.settle(frame.id, result);
  }

  private settle(id: string, result: RouteResult): void {
    this.remember(id, result);
    this.ack(id, result);
  }

  /** Takes a token of the sender's rate; when there is none, the request is refused and true returned. */
  private limited(id: string): boolean {
    // A session keeps its name and room once registered: its key in the limiter is worked out once.
    this.rateKey ??= this.session.room.rateKey(this.session.name);
    const wait = this.io.rate.take(this.rateKey);
    if (wait === undefined) return false;
    this.reject(id, 'rate-limited', `too many messages; wait ${Math.ceil(wait / 1000)} s before sending again`);
    return true;
  }

  /** What makes a message unsendable, before it costs the sender a token. */
  private problem(frame: Sendable): { reason: RejectReason; detail: string } | undefined {
    const tooLarge = oversize(frame);
    if (tooLarge) return { reason: 'too-large', detail: tooLarge };
    if (frame.type === 'broadcast' && !this.session.teacher)
      return { reason: 'not-allowed', detail: 'only teachers can send to everyone' };
    if (frame.type !== 'broadcast' && frame.to.trim() === '')
      return { reason: 'invalid-recipient', detail: 'the recipient is empty' };
    const snippet = frame.type === 'snippet' ? frame.snippet : frame.type === 'broadcast' ? frame.snippet : undefined;
    const bad = snippet && badSnippetField(snippet);
    if (bad) return { reason: 'invalid-snippet', detail: `the snippet's "${bad}" contains control characters` };
    return undefined;
  }

  /** Raising a hand (students), clearing hints and moderating (teachers). */
  classwork(frame: Classwork): void {
    const classroom = this.session.room.classroom;
    const key = this.session.room.keyOf(this.session.name);
    if (frame.type === 'hand') {
      if (this.limited(frame.id)) return;
      if (frame.up) classroom.raiseHand(key, this.session, frame.question);
      else classroom.lowerHand(key, this.session);
      this.session.write({ type: 'ack', id: frame.id, status: 'delivered' });
      return;
    }
    if (!this.session.teacher) {
      this.reject(
        frame.id,
        'not-allowed',
        frame.type === 'clear-hints' ? 'only teachers can clear the hints' : 'only teachers can do this',
      );
      return;
    }
    if (frame.type === 'clear-hints') {
      this.session.room.clearHints(this.session.name);
      this.io.log.always('class', this.session.name, 'cleared the hints');
      this.session.write({ type: 'ack', id: frame.id, status: 'delivered' });
      return;
    }
    const result = this.session.room.moderate(frame);
    if (!(result instanceof Promise)) this.moderated(frame, result);
    else
      result.then(
        (settled) => this.moderated(frame, settled),
        (error: unknown) => this.io.log.always('error', this.session.name, `moderation not settled: ${String(error)}`),
      );
  }

  private moderated(frame: Extract<Classwork, { type: 'moderate' }>, result: ModerationResult): void {
    if (result.status === 'delivered')
      this.io.log.always('class', this.session.name, `${frame.action} ${printable(frame.name, 40)}`);
    this.session.write(
      result.status === 'rejected'
        ? { type: 'ack', id: frame.id, status: 'rejected', reason: result.reason, detail: result.detail }
        : { type: 'ack', id: frame.id, status: result.status },
    );
  }

  /**
   * Refusals for being too fast or muted are the relay's rules, not the client's errors: they do
   * not spend the error budget.
   */
  private reject(id: string, reason: RejectReason, detail: string): void {
    this.io.log.write('error', this.session.name, `message ${printable(id, MAX_ID_LENGTH)} rejected: ${reason}`);
    if (reason !== 'rate-limited' && reason !== 'muted' && this.io.countError()) return;
    this.session.write({ type: 'ack', id, status: 'rejected', reason, detail });
  }

  private remember(id: string, result: RouteResult): void {
    if (result.status === 'delivered') this.session.room.remember(this.session.name, id, result);
  }

  private ack(id: string, result: RouteResult, extra: { duplicate?: true; recipients?: number } = {}): void {
    if (result.status !== 'rejected' && extra.duplicate === undefined && extra.recipients === undefined) {
      // Most acks: written as the text JSON.stringify makes of {type, id, status}, without the object.
      this.session.writeText(`{"type":"ack","id":${JSON.stringify(id)},"status":"${result.status}"}\n`);
      return;
    }
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
    this.session.write({ ...frame, ...extra });
  }
}

function oversize(frame: Sendable): string | undefined {
  const code = frame.type === 'snippet' ? frame.snippet : frame.type === 'broadcast' ? frame.snippet : undefined;
  const text = frame.type === 'snippet' ? '' : frame.text;
  const [counted, limit, what] = code
    ? [code.code, DEFAULT_LIMITS.snippetBytes, 'snippet code']
    : [text, DEFAULT_LIMITS.textBytes, 'text'];
  // A UTF-16 unit takes at most 3 bytes: most texts are within the limit without counting them.
  if (3 * counted.length <= limit) return undefined;
  const bytes = utf8Length(counted);
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
