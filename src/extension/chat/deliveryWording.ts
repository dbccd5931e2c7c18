/**
 * Why a message of ours was not sent or not delivered, in the person's language. The relay
 * gives a code for a refusal; its own explanation is English and goes to the log only.
 */
import type { DeliveryFailure, FailureCode } from '../../client/connectionTypes';
import type { Dialect } from '../../client/types';
import type { Muted } from '../../protocol/classroom';
import { dayAndClockTime } from '../../protocol/lineTime';
import type { Translate } from '../translate';

/** The relay's code for a refusal (or the course client's, for a course server's "Fehler beim Senden"). */
export type RefusalReason = NonNullable<DeliveryFailure['reason']>;

/** What the words for a failure depend on besides the failure. */
export interface FailureContext {
  /** The message went to everyone. */
  broadcast: boolean;
  /** The recipient as written, for a message to one person. */
  to: string | undefined;
  /** A teacher's mute of this student, while it lasts. */
  muted: Muted | undefined;
  /** The server's dialect, as far as known. */
  dialect: Dialect | undefined;
  now: Date;
}

/** Why a message of ours failed, with what this client knows of its mute and the server. */
export function describeDeliveryFailure(failure: DeliveryFailure, context: FailureContext, t: Translate): string {
  const { code, reason } = failure;
  const muted = code === 'rejected' ? context.muted : undefined;
  if (muted) {
    return muted.until === undefined
      ? t('Not sent: your teacher muted you until they unmute you.')
      : t('Not sent: your teacher muted you until {0}.', dayAndClockTime(muted.until, context.now));
  }
  // A mute this client did not hear of (yet): the relay's words name the time in UTC.
  if (reason === 'muted') return t('Not sent: your teacher muted you.');
  if (context.broadcast && code === 'not-supported') {
    return context.dialect === 'relay'
      ? t('Only teachers can send hints to everyone.')
      : t('This server cannot send to everyone.');
  }
  return describeFailure(code, code === 'unknown-peer' ? failure.detail : (context.to ?? ''), t, reason);
}

/**
 * Why a message failed, in the person's language. `to`: the recipient as written (for
 * `unknown-peer`, the name it was sent to). `reason`: the relay's code for a refusal; its own
 * explanation is English and goes to the log only.
 */
export function describeFailure(code: FailureCode, to: string, t: Translate, reason?: RefusalReason): string {
  switch (code) {
    case 'unknown-peer':
      return t('{0} is not online.', to);
    case 'disconnected':
      return t('Not sent: you disconnected.');
    case 'rejected':
    case 'not-supported':
      if (reason !== undefined) return describeRefusedMessage(reason, to, t);
      return code === 'rejected'
        ? t('Not sent: the relay refused the message.')
        : t('Not sent: this server cannot do that.');
  }
}

function describeRefusedMessage(reason: RefusalReason, to: string, t: Translate): string {
  switch (reason) {
    case 'too-large':
      return t('Not sent: the message is larger than the relay accepts. Send it in parts.');
    case 'invalid-recipient':
      return to === ''
        ? t('Not sent: the recipient is not a name the server can send to.')
        : t('Not sent: "{0}" is not a name the server can send to.', to);
    case 'invalid-snippet':
      return t("Not sent: the snippet's file name or language contains control characters.");
    case 'recipient-busy':
      return to === ''
        ? t('Not delivered: the recipient is not reading messages right now. Try again later.')
        : t('Not delivered: {0} is not reading messages right now. Try again later.', to);
    case 'rate-limited':
      return t('Not sent: you sent too many messages in a short time. Wait a moment, then send it again.');
    case 'muted':
      return t('Not sent: your teacher muted you.');
    case 'not-allowed':
      return t('Not sent: this server does not allow it.');
    case 'send-failed':
      return to === ''
        ? t('Not sent: the server could not pass the message on.')
        : t('Not sent: the server could not pass the message on to {0}.', to);
  }
}
