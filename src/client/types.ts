/** What every session offers, whatever the server speaks: its events, its results and its errors. */
import type { Moderation, Role, Roster, Standing } from '../protocol/classroom';
import type { Limits, RejectReason, Resume, Snippet } from '../protocol/frames';

export type Dialect = 'relay' | 'course' | 'course-lan';
export type DialectChoice = Dialect | 'auto';
export const DIALECT_CHOICES: readonly DialectChoice[] = ['auto', 'relay', 'course', 'course-lan'];

/** What a session reports as it happens. */
export type SessionEvent =
  | { type: 'message'; from: string; text: string; at: string; id?: string; teacher?: boolean }
  | { type: 'snippet'; from: string; snippet: Snippet; at: string; id?: string; teacher?: boolean }
  /** A teacher's hint; `earlier`: sent before this client joined. */
  | {
      type: 'broadcast';
      from: string;
      text: string;
      snippet?: Snippet;
      at: string;
      id?: string;
      teacher?: boolean;
      earlier?: boolean;
    }
  | { type: 'hints-cleared'; by: string; at: string }
  /** This client's own standing, as the relay keeps it. */
  | ({ type: 'self'; role: Role } & Standing)
  /** The class, for teachers. */
  | ({ type: 'roster' } & Roster)
  /** Who came and went; `online` is everyone else online now (as far as this client knows: see `onlineTotal`). */
  | { type: 'presence'; joined: string[]; left: string[]; online: string[] }
  /**
   * A line of the server's own (`text`, as it came), or something this client noticed (`code`,
   * for the caller to word; `text` then is the technical detail in English, for logs).
   */
  | { type: 'notice'; text: string; code?: NoticeCode }
  | { type: 'closed'; reason: CloseReason; detail: string };

/** `replaced`: another connection of this client took the registration over (see Resume). */
export type NoticeCode = 'bad-frame' | 'relay-error' | 'invalid-utf8' | 'over-long';

/**
 * `disconnected-by-teacher`: a teacher ended this client's connection; `detail` is the teacher's
 * reason. `class-ended`: the client's class was ended, so its code no longer works.
 */
export type CloseReason =
  | 'local'
  | 'remote'
  | 'keepalive'
  | 'error'
  | 'server-shutdown'
  | 'replaced'
  | 'disconnected-by-teacher'
  | 'class-ended';

/**
 * How a message fared. `sent` is the most a course server can tell: written, and no
 * "not found" came back within the wait.
 */
export type SendResult =
  | { status: 'delivered'; recipients?: number }
  | { status: 'sent' }
  | { status: 'unknown-peer' }
  | { status: 'rejected'; reason: RejectReason | 'send-failed'; detail: string }
  | { status: 'timeout' }
  | { status: 'disconnected' };

export interface RelaySession {
  readonly dialect: Dialect;
  /** The name the relay registered; for course-lan, our address as the server sees it. */
  readonly name: string;
  /** Who is online (framed relay only; the course servers cannot tell). */
  readonly online: readonly string[];
  /** How many others are online; more than `online` lists in a room too large to list. */
  readonly onlineTotal: number;
  readonly limits: Limits;
  readonly isOpen: boolean;
  onEvent(listener: (event: SessionEvent) => void): { dispose(): void };
  send(to: string, text: string, id?: string): Promise<SendResult>;
  sendSnippet(to: string, snippet: Snippet, id?: string): Promise<SendResult>;
  broadcast(text: string, id?: string): Promise<SendResult>;
  /** A teacher's hint with code. */
  broadcastSnippet(snippet: Snippet, id?: string): Promise<SendResult>;
  /** Our relay only: raise or lower this student's hand. */
  raiseHand(up: boolean, question?: string): Promise<SendResult>;
  /** Our relay only, teachers: clear the hints of the lesson for everyone, or act on a student. */
  clearHints(): Promise<SendResult>;
  moderate(action: Moderation): Promise<SendResult>;
  /** What the relay made this client; `student` wherever there are no roles. */
  readonly role: Role;
  /**
   * The class joined, as people read its code (our relay: as its welcome says; the course
   * dialect: the one named with the name); undefined: the default class.
   */
  readonly classCode?: string;
  close(): void;
  /** What to present in the next hello to be this registration again (our relay only). */
  readonly resume?: Resume;
}

export type RelayErrorCode =
  | 'refused'
  | 'unreachable'
  | 'not-found-host'
  | 'timeout'
  | 'closed'
  /** Another connection of this client (another window) took the name over with the resume token. */
  | 'replaced'
  | 'name-taken'
  | 'name-invalid'
  | 'name-reserved'
  | 'unsupported-version'
  | 'protocol'
  /** The certificate is not trusted by the system and no fingerprint was pinned; `fingerprint` is the one presented. */
  | 'tls-untrusted'
  /** The certificate's fingerprint differs from the pinned one; `fingerprint` is the one presented. */
  | 'tls-mismatch'
  /** The TLS handshake failed, e.g. because the port speaks plain TCP. */
  | 'tls-failed'
  /** The relay refused the teacher key of the hello (wrong key, or a relay without teachers). */
  | 'teacher-key-invalid'
  /** The relay checked no teacher key: too many wrong ones came from this address, or from many. */
  | 'teacher-key-locked'
  /** A teacher disconnected this client; the message is the teacher's reason. */
  | 'disconnected-by-teacher'
  /**
   * The relay has no room for this connection or registration now (its connections, or the
   * registrations of this address, are at their limit); the message says when to try again.
   */
  | 'relay-busy'
  /** The relay has no class of the code asked for: never made, mistyped, or ended. */
  | 'unknown-class'
  /** The client's class was ended while it was connected; its code no longer works. */
  | 'class-ended'
  /**
   * A class request (create, list, end) was refused; the message is the relay's reason (it makes
   * no classes, the admin key is needed or wrong, too many classes, no such class).
   */
  | 'class-refused';

/** Why a session could not be opened, in a form callers can word for a person. */
export class RelayError extends Error {
  /** For `tls-untrusted` and `tls-mismatch`: the SHA-256 fingerprint the server presented, as AB:CD:…. */
  readonly fingerprint: string | undefined;

  constructor(
    readonly code: RelayErrorCode,
    message: string,
    fingerprint?: string,
  ) {
    super(message);
    this.name = 'RelayError';
    this.fingerprint = fingerprint;
  }
}

/** Bytes as they cross the wire, for anyone who wants to watch (trace output). */
export type WireTrace = (direction: 'in' | 'out', bytes: Uint8Array) => void;
