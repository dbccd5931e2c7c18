/** What the terminal says about a send and a failed connect, in words a person can act on. */
import type { RelayError, SendResult } from '../client/types';
import { escapeControls } from '../protocol/sanitize';
import { localTime } from './classroomText';

/** One line a person reads about how a message fared. */
export function describeSend(result: SendResult, to: string): string {
  switch (result.status) {
    case 'delivered':
      return result.recipients === undefined ? `delivered to ${to}` : `delivered to ${result.recipients} peer(s)`;
    case 'sent':
      return `sent to ${to} (a course server cannot confirm delivery; no "not found" came back)`;
    case 'unknown-peer':
      return `unknown peer "${to}": nobody of that name is connected`;
    case 'rejected': {
      // The relay words a mute's end as an ISO time; the terminal shows it in local time.
      const detail =
        result.reason === 'muted'
          ? result.detail.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, (iso) => localTime(iso))
          : result.detail;
      return `rejected (${escapeControls(result.reason)}): ${escapeControls(detail)}`;
    }
    case 'timeout':
      return 'no acknowledgement from the relay in time';
    case 'disconnected':
      return 'the connection closed before the message was confirmed';
  }
}

/**
 * What to do about the error that stopped the connection, for a second line under it: a TLS
 * certificate, or a teacher key (`keySource`: where this command took the key from).
 */
export function openAdvice(error: RelayError, keySource?: string): string | undefined {
  switch (error.code) {
    case 'teacher-key-invalid':
      return `The key came from ${keySource ?? '--teacher-key'}. Teachers get the key from whoever runs the relay: "classroom-relay serve" prints it when it starts. Without a key you connect as a student.`;
    case 'teacher-key-locked':
      return 'The relay checked no key: wait until the time it gives has passed, then connect again. A teacher already connected stays connected, and a dropped connection gets back in by itself.';
    case 'tls-untrusted':
      return `Compare this fingerprint with the one the teacher's "classroom-relay serve" printed. If they are the same, connect again with --fingerprint ${error.fingerprint}`;
    case 'tls-mismatch':
      return 'Someone may be intercepting the connection, or the relay has a new certificate: do not connect until the teacher confirms the fingerprint that "classroom-relay serve" prints now.';
    default:
      return undefined;
  }
}
