/** The dialect each server spoke last time (see ../../client/dialectMemory.ts), in VS Code's storage. */
import { readDialectEntries, recallDialect, withDialect } from '../../client/dialectMemory';
import type { Dialect } from '../../client/types';
import type { Storage } from '../ports';
export const DIALECT_MEMORY = 'relay.dialects';
const MAX_SERVERS = 50;

export class DialectMemory {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => number,
  ) {}

  recall(server: string): Dialect | undefined {
    return recallDialect(this.read(), server, this.now());
  }

  async remember(server: string, dialect: Dialect): Promise<void> {
    await this.storage.update(DIALECT_MEMORY, withDialect(this.read(), server, dialect, this.now(), MAX_SERVERS));
  }

  private read() {
    return readDialectEntries(this.storage.get<unknown>(DIALECT_MEMORY));
  }
}
