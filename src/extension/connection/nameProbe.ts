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
  let refusal: RelayError | undefined;
  try {
    await connection.start();
    if (session?.dialect === 'course' || session?.dialect === 'course-lan')
      refusal = await courseRefusal(connection, early, services.connectionOptions?.course?.afterNameMs ?? 1000);
  } catch (error) {
    refusal = error instanceof RelayError ? error : new RelayError('closed', String(error));
  }
  if (!refusal) return { connection, session, early, listening };
  listening.dispose();
  connection.dispose();
  return refusal;
}

/**
 * A course server never says it took a name: our relay refuses one in use with a line
 * ("Fehler: Der Name … ist bereits vergeben …") and closes, within `waitMs` of the name. The
 * course's own server takes every name; nothing here can tell.
 */
async function courseRefusal(
  connection: RelayConnection,
  early: readonly ConnectionEvent[],
  waitMs: number,
): Promise<RelayError | undefined> {
  const refusal = (): RelayError | undefined => {
    for (const event of early) {
      if (event.type === 'incoming' && event.event.type === 'message' && event.event.from === 'Fehler') {
        const text = `Fehler: ${event.event.text}`;
        if (/vergeben|sieht aus wie/.test(text)) return new RelayError('name-taken', text);
        if (/Ungültiger Name/.test(text)) return new RelayError('name-invalid', text);
      }
    }
    return connection.state.kind === 'connected'
      ? undefined
      : new RelayError('closed', 'the server closed the connection');
  };
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    const listener = connection.onEvent(() => {
      if (refusal() !== undefined) done();
    });
  });
  return refusal();
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
