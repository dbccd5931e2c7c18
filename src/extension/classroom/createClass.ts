/**
 * "Relay: Create Class…": a class of its own on a relay that keeps several (a school's, the
 * course's). The relay makes it and says its code and its teacher key once; the key is kept in
 * secret storage for HOST:PORT/CODE, this VS Code connects there as the class's teacher, and the
 * address with the code is shown to give the class. A relay that asks for its admin key gets it
 * typed once; it is kept for the next class.
 */
import { RelayError } from '../../client/types';
import { formatServerAddress, relayOf, type ServerAddress } from '../../protocol/address';
import type { ConnectionLifecycle } from '../connection/connectionLifecycle';
import { LAST_NAME, RECENT_SERVERS } from '../connection/connectTarget';
import type { TrustGate } from '../connection/trust';
import type { Editors, Log, Notices, Prompts, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import type { AdminKeys } from './adminKeys';
import { describeClassRefusal, needsAdminKey } from './classWording';
import type { TeacherKeys } from './teacherKeys';
import { offerAddresses } from '../addressOffer';

/** What the relay answers to a class made: the class's code and its own teacher key. */
export interface MadeClass {
  code: string;
  teacherKey: string;
}

/** Asks the relay at `server` for a class; rejects with a RelayError (`class-refused`: the relay's reason). */
export type RequestClass = (server: ServerAddress, adminKey: string | undefined) => Promise<MadeClass>;

export interface CreateClassServices {
  t: Translate;
  log: Log;
  notices: Pick<Notices, 'info' | 'error' | 'warning' | 'flash' | 'progress'>;
  prompts: Pick<Prompts, 'server' | 'secret' | 'name'>;
  storage: Storage;
  editors: Pick<Editors, 'copy'>;
  settings(): RelaySettings;
  teacherKeys: Pick<TeacherKeys, 'store'>;
  adminKeys: AdminKeys;
  trust: Pick<TrustGate, 'settle'>;
  lifecycle: Pick<ConnectionLifecycle, 'connect' | 'target'>;
  requestClass: RequestClass;
}

export class ClassCreation {
  private busy = false;

  constructor(private readonly services: CreateClassServices) {}

  /** "Relay: Create Class…". */
  async create(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.run();
    } finally {
      this.busy = false;
    }
  }

  private async run(): Promise<void> {
    const { t, log, storage, prompts, teacherKeys, lifecycle } = this.services;
    const title = t('Relay: Create Class');
    const asked = await prompts.server(storage.get<string[]>(RECENT_SERVERS) ?? [], lifecycle.target?.server, title);
    if (!asked) return;
    const relay = relayOf(asked);
    const made = await this.make(relay);
    if (!made) return;
    const server: ServerAddress = { ...relay, classCode: made.code };
    await teacherKeys.store(server, made.teacherKey);
    log.info(
      t(
        "Class {0} made on {1}; its teacher key is kept in VS Code's secret storage.",
        made.code,
        formatServerAddress(relay),
      ),
    );
    const name =
      this.services.settings().name ?? storage.get<string>(LAST_NAME) ?? (await prompts.name(undefined, title));
    if (name) await lifecycle.connect({ target: { server, name }, again: true });
    await this.showAddress(server, made.code);
  }

  /** The class made on `relay`, asking for the admin key while the relay wants it; undefined when none was made. */
  private async make(relay: ServerAddress): Promise<MadeClass | undefined> {
    const { t, log, notices, prompts, adminKeys } = this.services;
    const where = formatServerAddress(relay);
    let adminKey = await adminKeys.get(relay);
    let typed = false;
    for (;;) {
      try {
        const made = await notices.progress(t('Creating a class on {0}…', where), () =>
          this.services.requestClass(relay, adminKey),
        );
        if (typed && adminKey !== undefined) {
          await adminKeys.store(relay, adminKey);
          log.info(t('The admin key for {0} is kept.', where));
        }
        return made;
      } catch (caught) {
        const error = caught instanceof RelayError ? caught : new RelayError('closed', String(caught));
        log.warn(`${where}: ${error.code}: ${error.message}`);
        if (needsAdminKey(error)) {
          // A kept key the relay no longer takes (its operator changed it) is of no use to the next class.
          if (adminKey !== undefined && !typed) await adminKeys.forget(relay);
          const key = await prompts.secret(
            t('Relay: Create Class'),
            adminKey === undefined
              ? t(
                  "Making a class on {0} needs the relay's admin key, as whoever runs the relay gave it to you. It is kept in VS Code's secret storage, never in the settings.",
                  where,
                )
              : t('The relay at {0} did not accept the admin key. Enter it again.', where),
          );
          if (key === undefined) return undefined;
          adminKey = key;
          typed = true;
          continue;
        }
        const trust = await this.services.trust.settle(error, relay);
        if (trust === 'retry') continue;
        if (trust === 'none') void notices.error(describeClassRefusal(error, where, t));
        return undefined;
      }
    }
  }

  /** The address to give the class, with a Copy button (as Host Classroom shows its addresses). */
  private async showAddress(server: ServerAddress, code: string): Promise<void> {
    const { t, log } = this.services;
    const address = formatServerAddress(server);
    const message = t(
      'Your class {0} is ready. Students connect to {1} with "Relay: Connect"; with the course client or netcat they type their name as {0}/Name.',
      code,
      address,
    );
    log.info(message);
    await offerAddresses(this.services, message, [address]);
  }
}
