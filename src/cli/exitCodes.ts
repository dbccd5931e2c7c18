/** The command line's exit codes, and which one each outcome of a send or a connect gives. */
import type { RelayErrorCode, SendResult } from '../client/types';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  connection: 3,
  name: 4,
  unknownPeer: 5,
  rejected: 6,
  noAnswer: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitForOpenError(code: RelayErrorCode): ExitCode {
  switch (code) {
    case 'refused':
    case 'unreachable':
    case 'not-found-host':
    case 'timeout':
    case 'closed':
    case 'tls-untrusted':
    case 'tls-mismatch':
    case 'tls-failed':
    case 'replaced':
    case 'disconnected-by-teacher':
    case 'teacher-key-locked':
    case 'relay-busy':
    case 'unknown-class':
    case 'class-ended':
      return EXIT.connection;
    case 'name-taken':
    case 'name-invalid':
    case 'name-reserved':
    case 'teacher-key-invalid':
    case 'class-refused':
      return EXIT.name;
    case 'unsupported-version':
    case 'protocol':
      return EXIT.failure;
  }
}

export function exitForSend(result: SendResult): ExitCode {
  switch (result.status) {
    case 'delivered':
    case 'sent':
      return EXIT.ok;
    case 'unknown-peer':
      return EXIT.unknownPeer;
    case 'rejected':
      return EXIT.rejected;
    case 'timeout':
    case 'disconnected':
      return EXIT.noAnswer;
  }
}

export const EXIT_HELP = `Exit codes:
  0  delivered (or, on a course server that cannot acknowledge, sent with no "not found")
  2  usage error
  3  could not connect (refused, unreachable, unknown host, timeout, TLS
     certificate not trusted or not matching --fingerprint, TLS failed, no
     class of that code on the relay, the class ended)
  4  name refused (taken, invalid, reserved), the teacher key refused, or a
     class request refused (no classes there, admin key needed or wrong, too
     many classes, no such class)
  5  unknown peer
  6  message rejected (too large, recipient busy, muted by a teacher, rate
     limited, not allowed: e.g. --all without a teacher key)
  7  no answer (no acknowledgement in time, or the connection dropped)`;
