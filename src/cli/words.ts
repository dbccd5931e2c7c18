import type { SendResult } from '../client/types';

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
      return `rejected (${result.reason}): ${result.detail}`;
    case 'timeout':
      return 'no acknowledgement from the relay in time';
    case 'disconnected':
      return 'the connection closed before the message was confirmed';
  }
}
