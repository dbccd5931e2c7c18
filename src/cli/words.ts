import type { RelayError, SendResult } from '../client/types';
import { escapeControls } from '../protocol/sanitize';

/** One line a person reads about how a message fared. */
export function describeSend(result: SendResult, to: string): string {
  switch (result.status) {
    case 'delivered':
      return result.recipients === undefined ? `delivered to ${to}` : `delivered to ${result.recipients} peer(s)`;
    case 'sent':
      return `sent to ${to} (a course server cannot confirm delivery; no "not found" came back)`;
    case 'unknown-peer':
      return `unknown peer "${to}": nobody of that name is connected`;
    case 'rejected':
      return `rejected (${escapeControls(result.reason)}): ${escapeControls(result.detail)}`;
    case 'timeout':
      return 'no acknowledgement from the relay in time';
    case 'disconnected':
      return 'the connection closed before the message was confirmed';
  }
}

/** What to do about a TLS certificate that stopped the connection, for a second line under the error. */
export function tlsAdvice(error: RelayError): string | undefined {
  switch (error.code) {
    case 'tls-untrusted':
      return `Compare this fingerprint with the one the teacher's "classroom-relay serve" printed. If they are the same, connect again with --fingerprint ${error.fingerprint}`;
    case 'tls-mismatch':
      return 'Someone may be intercepting the connection, or the relay has a new certificate: do not connect until the teacher confirms the fingerprint that "classroom-relay serve" prints now.';
    default:
      return undefined;
  }
}
