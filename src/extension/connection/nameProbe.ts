/**
 * A connection under another name, made beside the one that is up (Register Name while
 * connected). Neither our relay nor a course server renames a registration, so the new name is
 * registered by a connection of its own while the old one stays: only once the server has taken
 * the new name does the old connection end. When the server refuses it (taken, a look-alike,
 * reserved, invalid) the person keeps the old name and was never offline.
 */
import type { ConnectionEvent } from '../../client/connectionTypes';
import type { RelayConnection } from '../../client/connection';
import { RelayError, type RelaySession } from '../../client/types';
import { formatServerAddress } from '../../protocol/address';
import type { Disposable, Notices } from '../ports';
import type { Target } from './connectTarget';
import { describeRename } from './nameWording';
import { newConnection, type NewConnectionServices, type Presented } from './newConnection';

/** A connection that came up under the new name, and what it reported before its owner listened. */
export interface Probed {
  connection: RelayConnection;
  session: RelaySession | undefined;
  /** Its events so far (the welcome's hints come with it), for the owner to hear in order. */
  early: ConnectionEvent[];
  /** Stops collecting `early`; the owner listens itself from now on. */
  listening: Disposable;
}

/** Connects to `target` beside the current connection; the refusal when the server did not take it. */
export async function probeName(
  services: NewConnectionServices,
  target: Target,
  presented: Presented,
): Promise<Probed | RelayError> {
  let session: RelaySession | undefined;
  const connection = newConnection(services, target, presented, (opened) => {
    session = opened;
  });
  const early: ConnectionEvent[] = [];
  const listening = connection.onEvent((event) => early.push(event));
  try {
    await connection.start();
  } catch (error) {
    listening.dispose();
    connection.dispose();
    return error instanceof RelayError ? error : new RelayError('closed', String(error));
  }
  return { connection, session, early, listening };
}

/**
 * Registers `target.name` beside the connection up as `kept`, showing the progress; when the
 * server refuses, says why and that `kept` stays, and answers undefined.
 */
export async function registerBeside(
  services: NewConnectionServices & { notices: Pick<Notices, 'progress' | 'warning'> },
  target: Target,
  kept: string,
  presented: Presented,
): Promise<Probed | undefined> {
  const { t, log, notices } = services;
  const server = formatServerAddress(target.server);
  log.info(t('Registering the name {0} on {1}', target.name, server));
  const probed = await notices.progress(t('Registering the name {0}…', target.name), () =>
    probeName(services, target, presented),
  );
  if (!(probed instanceof RelayError)) return probed;
  const message = describeRename(probed, server, target.name, kept, t);
  log.warn(`${message} (${probed.code}: ${probed.message})`);
  void notices.warning(message);
  return undefined;
}
