/**
 * A relay's admin key in VS Code's secret storage, one per relay (transport, host and port): a
 * teacher who made one class with it makes the next without typing it again.
 */
import { relayOf, type ServerAddress } from '../../protocol/address';
import type { Secrets } from '../ports';
import { serverKey } from './teacherKeys';

/** The secret a relay's admin key is kept under: this prefix and the relay's address (tls://host:port or host:port). */
export const ADMIN_KEY_SECRET = 'relay.adminKey/';

/** Filed under the relay itself, without a class: the admin key is the relay's, not one class's. */
export class AdminKeys {
  constructor(private readonly secrets: Secrets) {}

  async get(server: ServerAddress): Promise<string | undefined> {
    return (await this.secrets.get(ADMIN_KEY_SECRET + serverKey(relayOf(server)))) || undefined;
  }

  async store(server: ServerAddress, key: string): Promise<void> {
    await this.secrets.store(ADMIN_KEY_SECRET + serverKey(relayOf(server)), key);
  }

  async forget(server: ServerAddress): Promise<void> {
    await this.secrets.delete(ADMIN_KEY_SECRET + serverKey(relayOf(server)));
  }
}
