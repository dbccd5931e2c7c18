/**
 * Teacher keys in VS Code's secret storage, one per relay and class (transport, host, port and class
 * code), and the key of the classroom this VS Code hosts. Keys never go into settings, the history or the log.
 */
import { nodesInKeyOrder, type ServerAddress } from '../../protocol/address';
import { hasControls } from '../../protocol/sanitize';
import { utf8Length } from '../../protocol/utf8';
import { makeTeacherKey } from '../../server/classroom/teacherKey';
import { MAX_TEACHER_KEY_BYTES } from '../../protocol/limits';
import type { Secrets } from '../ports';
import type { Translate } from '../translate';
import { trustKey } from '../connection/trust';

/** The secret a relay's key is kept under: this prefix and the relay's address (tls://host:port or host:port). */
export const TEACHER_KEY_SECRET = 'relay.teacherKey/';
/** The key of the relay this VS Code hosts, kept so that a teacher's assistant can keep using it. */
export const HOSTED_KEY_SECRET = 'relay.hostedClassroomKey';

/**
 * The relay's address, as a person reads it and as the key is filed. The transport is part of
 * it: a key kept for tls://host:port never goes out unencrypted to host:port. So is the class
 * (host:port/CODE): each class on a relay has a key of its own, and the default class the relay's.
 */
export function serverKey(server: ServerAddress): string {
  // A relay of several addresses is one relay: its key is filed under all of them, in any order.
  const nodes = nodesInKeyOrder(server).map((node) =>
    node.transport === 'tls' ? `tls://${trustKey(node)}` : trustKey(node),
  );
  return nodes.join(', ') + (server.classCode === undefined ? '' : `/${server.classCode}`);
}

export type KeyProblem = 'empty' | 'control' | 'too-long';

/** A typed or pasted key: spaces around it are dropped, as a paste often brings them. */
export function checkTeacherKeyInput(value: string): { ok: true; key: string } | { ok: false; problem: KeyProblem } {
  const key = value.trim();
  if (key === '') return { ok: false, problem: 'empty' };
  if (hasControls(key)) return { ok: false, problem: 'control' };
  if (utf8Length(key) > MAX_TEACHER_KEY_BYTES) return { ok: false, problem: 'too-long' };
  return { ok: true, key };
}

export function describeKeyProblem(problem: KeyProblem, t: Translate): string {
  switch (problem) {
    case 'empty':
      return t('Enter the teacher key.');
    case 'control':
      return t('A teacher key has no line breaks or control characters.');
    case 'too-long':
      return t('A teacher key has at most {0} bytes.', MAX_TEACHER_KEY_BYTES);
  }
}

export class TeacherKeys {
  constructor(
    private readonly secrets: Secrets,
    private readonly make: () => string = makeTeacherKey,
  ) {}

  async get(server: ServerAddress): Promise<string | undefined> {
    const kept = (await this.secrets.get(TEACHER_KEY_SECRET + serverKey(server))) || undefined;
    if (kept !== undefined || server.transport !== 'tls' || server.classCode !== undefined) return kept;
    // Keys were once filed by host:port alone. Over TLS such a key goes out encrypted, so it moves to its TLS name.
    const earlier = TEACHER_KEY_SECRET + trustKey(server);
    const moved = (await this.secrets.get(earlier)) || undefined;
    if (moved !== undefined) {
      await this.store(server, moved);
      await this.secrets.delete(earlier);
    }
    return moved;
  }

  async store(server: ServerAddress, key: string): Promise<void> {
    await this.secrets.store(TEACHER_KEY_SECRET + serverKey(server), key);
  }

  /** Forgets the key for `server`; says whether there was one. */
  async forget(server: ServerAddress): Promise<boolean> {
    const had = (await this.get(server)) !== undefined;
    if (had) await this.secrets.delete(TEACHER_KEY_SECRET + serverKey(server));
    return had;
  }

  /** The hosted classroom's key: the one made before, or a new one, kept from now on. */
  async hostedKey(): Promise<string> {
    const kept = await this.secrets.get(HOSTED_KEY_SECRET);
    if (kept) return kept;
    const key = this.make();
    await this.secrets.store(HOSTED_KEY_SECRET, key);
    return key;
  }
}
