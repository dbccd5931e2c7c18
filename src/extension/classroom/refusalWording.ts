/**
 * Why the relay did not do what was asked of the classroom (a raised hand, a teacher's action),
 * in the person's language: the relay's own detail is English, for logs.
 */
import type { SendResult } from '../../client/types';
import type { Translate } from '../translate';

/** The relay's code for a refusal. */
export type RefusalReason = Extract<SendResult, { status: 'rejected' }>['reason'];

/** How an action fared, when it did not go through, as the clause after "…: ". */
export function describeOutcome(result: SendResult, t: Translate): string {
  switch (result.status) {
    case 'rejected':
      return describeRefusal(result.reason, t);
    case 'timeout':
      return t('the relay did not answer in time.');
    case 'disconnected':
      return t('the connection dropped.');
    default:
      return result.status;
  }
}

/** Why the relay refused, as a clause: "The relay did not do it: …". */
export function describeRefusal(reason: RefusalReason, t: Translate): string {
  switch (reason) {
    case 'not-allowed':
      return t('it is not allowed for you or for this student.');
    case 'rate-limited':
      return t('too many requests in a short time; wait a moment.');
    case 'muted':
      return t('your teacher muted you.');
    case 'too-large':
      return t('the request is too large.');
    case 'invalid-recipient':
      return t('there is nobody of that name.');
    case 'recipient-busy':
      return t('the student is not reading right now.');
    case 'invalid-snippet':
    case 'send-failed':
      return t('the relay could not do it.');
  }
}
