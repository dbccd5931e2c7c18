/**
 * What a person does with teacher keys: "Relay: Enter Teacher Key…" (for the server in use, or
 * one asked for), "Relay: Forget Teacher Key", and the choice after the relay refused a key.
 */
import type { ServerAddress } from '../../protocol/address';
import type { ConnectionLifecycle } from '../connection/connectionLifecycle';
import { RECENT_SERVERS, type Target } from '../connection/connectTarget';
import type { Log, Notices, Prompts, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import { serverKey, type TeacherKeys } from './teacherKeys';
import type { Translate } from '../translate';

export interface TeacherKeyActionsServices {
  t: Translate;
  log: Log;
  prompts: Pick<Prompts, 'server' | 'secret'>;
  notices: Pick<Notices, 'info' | 'error'>;
  storage: Storage;
  settings(): RelaySettings;
  teacherKeys: TeacherKeys;
  lifecycle: Pick<ConnectionLifecycle, 'connect' | 'target' | 'state'>;
  /** Whether this client is a teacher now. */
  isTeacher(): boolean;
}

export class TeacherKeyActions {
  constructor(private readonly services: TeacherKeyActionsServices) {}

  /** "Relay: Enter Teacher Key…": keeps the key for the server; connected there, connects again with it. */
  async enter(): Promise<void> {
    const { t, notices, lifecycle } = this.services;
    const server = await this.server(t('Relay: Enter Teacher Key'));
    if (!server) return;
    if (!(await this.askAndStore(server))) return;
    const target = lifecycle.target;
    if (target && sameServer(target.server, server) && lifecycle.state.kind !== 'idle') {
      await lifecycle.connect({ target, again: true });
      return;
    }
    const connect = t('Connect');
    const choice = await notices.info(
      t(
        "The teacher key for {0} is kept in VS Code's secret storage. It is presented whenever you connect there.",
        serverKey(server),
      ),
      connect,
    );
    if (choice === connect) await lifecycle.connect({ server });
  }

  /** "Relay: Forget Teacher Key". */
  async forget(): Promise<void> {
    const { t, notices, log } = this.services;
    const server = await this.server(t('Relay: Forget Teacher Key'));
    if (!server) return;
    const where = serverKey(server);
    if (!(await this.services.teacherKeys.forget(server))) {
      void notices.info(t('No teacher key is kept for {0}.', where));
      return;
    }
    log.info(t('The teacher key for {0} is forgotten.', where));
    const target = this.services.lifecycle.target;
    const stillTeacher = this.services.isTeacher() && target !== undefined && sameServer(target.server, server);
    void notices.info(
      stillTeacher
        ? t('The teacher key for {0} is forgotten. You stay a teacher until you connect again.', where)
        : t('The teacher key for {0} is forgotten.', where),
    );
  }

  /** The relay refused the key: forget it and connect as a student, or enter it again. */
  async refused(message: string, target: Target): Promise<void> {
    const { t, notices, teacherKeys, lifecycle } = this.services;
    const forget = t('Forget Teacher Key');
    const again = t('Enter Again');
    const choice = await notices.error(message, forget, again);
    if (choice === forget) {
      await teacherKeys.forget(target.server);
      this.services.log.info(t('The teacher key for {0} is forgotten.', serverKey(target.server)));
      await lifecycle.connect({ target, again: true });
    } else if (choice === again && (await this.askAndStore(target.server))) {
      await lifecycle.connect({ target, again: true });
    }
  }

  private async askAndStore(server: ServerAddress): Promise<boolean> {
    const { t, log, prompts, teacherKeys } = this.services;
    const where = serverKey(server);
    const key = await prompts.secret(
      t('Relay: Enter Teacher Key'),
      t(
        "The teacher key for {0}, as whoever runs the relay gave it to you. It is kept in VS Code's secret storage, never in the settings.",
        where,
      ),
    );
    if (key === undefined) return false;
    await teacherKeys.store(server, key);
    log.info(t('A teacher key for {0} is kept.', where));
    return true;
  }

  /** The server in use, the one in the settings, or one asked for under `title` (the command's). */
  private async server(title: string): Promise<ServerAddress | undefined> {
    const { lifecycle, prompts, storage } = this.services;
    return (
      lifecycle.target?.server ??
      this.services.settings().server ??
      prompts.server(storage.get<string[]>(RECENT_SERVERS) ?? [], undefined, title)
    );
  }
}

function sameServer(a: ServerAddress, b: ServerAddress): boolean {
  return serverKey(a) === serverKey(b);
}
