/** What Register Name tells the person: the name kept for the next connect, or why the server refused a new one. */
import type { RelayError } from '../../client/types';
import type { Translate } from '../translate';
import { describeConnectError } from './connectionWording';

export function renamedWhileDisconnected(name: string, t: Translate): string {
  return t('Relay: your name is now {0}. It is used when you connect.', name);
}

/**
 * The server refused `wanted` while the person stays connected as `kept`: why, in the
 * extension's words and, when it gave one, in the server's own.
 */
export function describeRename(error: RelayError, server: string, wanted: string, kept: string, t: Translate): string {
  const why = describeConnectError(error, server, wanted, t);
  const detail = error.message.trim();
  const own = detail === '' || detail === error.code ? '' : ` ${t('Server says: {0}', detail)}`;
  return `${t('You stay connected as "{0}".', kept)} ${why}${own}`;
}
