/** One framed client's registration: its token, its id across relay nodes, and what it keeps for a resume. */
import { randomBytes } from 'node:crypto';
import { KeptMessages } from './keptMessages';

/** A registration, and the messages it keeps for a resume (keptMessages.ts). */
export class Registration extends KeptMessages {
  token = newToken();
  bytes = 0;
  /** Dropped: what the eviction order still lists of it is gone. */
  gone = false;
  offlineSince: number | undefined;

  constructor(
    readonly key: string,
    readonly address: string,
    public teacher: boolean,
    /** The same on every relay node it moves to: the engine keeps its messages under it. */
    readonly id = newToken(),
  ) {
    super();
  }
}

/** A registration another relay node held, continued here. */
export interface Adopted {
  id: string;
  nextSeq: number;
  teacher: boolean;
}

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}
