/**
 * A class request's refusal in words a teacher understands: the relay's own words are English
 * and for the log, so the known refusals are worded here; an unknown one is shown as it came.
 */
import { classRefusalOf } from '../../client/classRequest';
import type { RelayError } from '../../client/types';
import { describeConnectError } from '../connection/connectionWording';
import type { Translate } from '../translate';

/** The relay asks for the admin key (none was given, or a wrong one): asking for it may help. */
export function needsAdminKey(error: RelayError): boolean {
  return classRefusalOf(error) === 'admin-key';
}

/** Why no class was made on the relay at `server`. */
export function describeClassRefusal(error: RelayError, server: string, t: Translate): string {
  switch (classRefusalOf(error)) {
    case undefined:
      return describeConnectError(error, server, '', t);
    case 'off':
      return t(
        'The relay at {0} makes no classes: whoever runs it did not allow it. Ask them, or host a classroom of your own with "Relay: Host Classroom".',
        server,
      );
    case 'admin-key':
      return t('The relay at {0} did not accept the admin key.', server);
    case 'locked':
      return t(
        'The relay at {0} checked no admin key: too many wrong ones were tried, so it pauses for a while. Try again in a minute.',
        server,
      );
    case 'full':
      return t(
        'The relay at {0} makes no more classes now: it has as many as it keeps, in all or made from your address. Ask whoever runs it to end classes no longer used.',
        server,
      );
    case 'apart':
      return t(
        'The relay at {0} could not make the class: its node cannot reach the other nodes just now. Try again in a moment.',
        server,
      );
    case 'no-such-class':
    case 'other':
      // The relay's own words are English: they go to the log (createClass.ts), the person reads where.
      return t('The relay at {0} made no class; its reason is in the Relay log.', server);
  }
}
