/**
 * A connection to the relay as this extension makes it: who it says it is, what it presents
 * (a teacher key, a resume token, a pinned certificate, the dialect the server spoke last time)
 * and, when relay.traceWire is on, its bytes in the log.
 */
import { openSession } from '../../client/connect';
import { RelayConnection, type ConnectionOptions } from '../../client/connection';
import type { RelaySession } from '../../client/types';
import { relayKey } from '../../protocol/address';
import type { Resume } from '../../protocol/frames';
import type { Log } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import type { Target } from './connectTarget';
import type { DialectMemory } from './dialectMemory';
import type { TrustGate } from './trust';
import { formatWire } from './wireTrace';

/** How this client introduces itself to the relay. */
export const CLIENT_ID = `vscode-classroom-relay/${__VERSION__}`;

export interface NewConnectionServices {
  t: Translate;
  log: Log;
  trust: Pick<TrustGate, 'pinFor'>;
  settings(): RelaySettings;
  dialects: DialectMemory;
  /** Options for every connection beyond where and who (timings). */
  connectionOptions?: Partial<ConnectionOptions>;
}

/** What a connection to `target` presents, beyond the target itself. */
export interface Presented {
  teacherKey: string | undefined;
  resume: Resume | undefined;
}

/** A connection to `target`, not yet started; `opened` hears of each session it opens with the relay. */
export function newConnection(
  services: NewConnectionServices,
  target: Target,
  presented: Presented,
  opened: (session: RelaySession) => void,
): RelayConnection {
  const { log, t } = services;
  const open = services.connectionOptions?.open ?? openSession;
  const dialect = services.settings().dialect;
  return new RelayConnection({
    ...services.connectionOptions,
    teacherKey: presented.teacherKey,
    resume: presented.resume,
    remembered: dialect === 'auto' ? services.dialects.recall(relayKey(target.server)) : undefined,
    open: async (options) => {
      const session = await open(options);
      opened(session);
      return session;
    },
    host: target.server.host,
    port: target.server.port,
    transport: target.server.transport,
    alternates: target.server.alternates,
    classCode: target.server.classCode,
    fingerprint: services.trust.pinFor(target.server),
    name: target.name,
    dialect,
    client: CLIENT_ID,
    trace: (direction, bytes) => {
      if (services.settings().traceWire)
        log.info(formatWire(direction, bytes, { sent: t('sent'), received: t('received') }));
    },
  });
}
