/**
 * Before Host Classroom takes a teacher away from the class she is connected to: the question it
 * asks (where she is, with how many classmates, and that hosting disconnects her from it).
 */
import type { ConnectionState } from '../../client/connectionTypes';
import { formatServerAddress, type ServerAddress } from '../../protocol/address';
import type { Translate } from '../translate';

export interface LeaveClassQuestion {
  message: string;
  detail: string;
  /** The button that goes on and hosts. */
  host: string;
}

/**
 * The question to ask before hosting, or undefined when this VS Code is not connected (or
 * connecting) anywhere else than `hosted`, the relay it hosts.
 */
export function leaveClassQuestion(
  state: ConnectionState,
  server: ServerAddress | undefined,
  t: Translate,
): LeaveClassQuestion | undefined {
  if (!server || (state.kind !== 'connected' && state.kind !== 'connecting' && state.kind !== 'waiting'))
    return undefined;
  const where = formatServerAddress(server);
  const others = state.kind === 'connected' ? state.online.length : undefined;
  const message =
    others === undefined
      ? t('You are connecting to {0}. Hosting a classroom disconnects you from it.', where)
      : others === 1
        ? t('You are connected to {0} with 1 classmate. Hosting a classroom disconnects you from it.', where)
        : t(
            'You are connected to {0} with {1} classmates. Hosting a classroom disconnects you from it.',
            where,
            others,
          );
  return {
    message,
    detail: t(
      'A new relay starts on this computer and you connect to it as its teacher; the class then has to connect to its address.',
    ),
    host: t('Host Classroom'),
  };
}
