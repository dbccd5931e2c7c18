/**
 * Framed clients' registrations kept in the engine, so that a client whose node died, or which
 * cannot reach it, resumes on another node: the registration (its node, its id, its resume token
 * as a digest, a teacher's or not) in a key-value bucket, and the numbered messages handed to its
 * client in a stream, the last ones of each registration for the keep time. The node where the
 * client comes back reads what it missed there and numbers on.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import {
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { Envelope } from '../routing/peer';
import type { ResumeLimits } from '../routing/registrations';
import { KEPT_STREAM, subjects } from './clusterKeys';
import { ensureStream, errorText, json } from './engineCalls';
import { readKeptMessage, readResumeRecord, type ResumeRecord } from './engineReads';

/** How long reading a registration's kept messages may take, at most. */
const READ_MS = 2000;
/** How often, and how far apart, the kept messages are read again while the last ones are on their way. */
const READ_AGAIN = 5;
const READ_AGAIN_MS = 100;
/** How far past the last kept message a client may say it has seen (messages kept and then expired). */
const MAX_UNSEEN = 1_000_000;

type Kept = { seq: number; envelope: Envelope };

const highest = (kept: Kept[], floor: number) => kept.reduce((top, { seq }) => Math.max(top, seq), floor);

/** What a registration's kept messages hold for a client that saw everything up to `lastSeq`. */
export interface KeptForResume {
  /** The messages after `lastSeq`, each with its number, oldest first. */
  missed: Envelope[];
  /** Every message kept, also those the client had: their ids were delivered. */
  delivered: Envelope[];
  /** The number the registration's next message takes. */
  nextSeq: number;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class ResumeStore {
  /** The records this node wrote, under their bucket keys: written again before they age out. */
  private readonly written = new Map<string, { id: string; value: Uint8Array }>();
  /** The last message could not be published for a resume elsewhere. */
  private unkept = false;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly client: JetStreamClient,
    private readonly manager: JetStreamManager,
    private readonly records: KV,
    private readonly node: string,
    /** Messages read for one resume, at most: what a node keeps for one registration. */
    private readonly perRegistration: number,
    private readonly log: (text: string) => void,
  ) {}

  /** Opens the stream of kept messages (made by the first node), bounded as a node bounds what it keeps. */
  static async open(
    connection: NatsConnection,
    records: KV,
    node: string,
    replicas: number,
    limits: Pick<ResumeLimits, 'keepMs' | 'messages' | 'totalBytes'>,
    log: (text: string) => void,
  ): Promise<ResumeStore> {
    const manager = await jetstreamManager(connection, { timeout: READ_MS });
    await ensureStream(manager, {
      name: KEPT_STREAM.name,
      subjects: [...KEPT_STREAM.subjects],
      // In memory, copied to `replicas` servers: kept for minutes, and read only when a node is lost.
      storage: StorageType.Memory,
      max_msgs_per_subject: limits.messages,
      max_age: limits.keepMs * 1e6,
      max_bytes: limits.totalBytes,
      num_replicas: replicas,
      // Any copy answers a read: one on a server that is gone costs nothing.
      allow_direct: true,
    });
    return new ResumeStore(connection, jetstream(connection), manager, records, node, limits.messages, log);
  }

  /** A registration here got a new token (made, or resumed): any node may continue it with that token. */
  registered(entryKey: string, id: string, token: string, teacher: boolean): void {
    const record: ResumeRecord = { node: this.node, id, digest: tokenDigest(token), teacher };
    const value = json(record);
    this.written.set(entryKey, { id, value });
    this.records.put(entryKey, value).catch(this.failed(`a registration was not kept for a resume elsewhere`));
  }

  /** A registration here is gone: its record goes too, unless another node continues it meanwhile. */
  forgotten(entryKey: string, id: string): void {
    if (this.written.get(entryKey)?.id !== id) return;
    this.written.delete(entryKey);
    void (async () => {
      const current = await this.records.get(entryKey);
      const record = current?.operation === 'PUT' ? readResumeRecord(current.value) : undefined;
      if (current && record?.node === this.node && record.id === id)
        await this.records.delete(entryKey, { previousSeq: current.revision });
    })().catch(() => undefined);
  }

  /** A message numbered `seq` was handed to the client of registration `id`. */
  kept(id: string, seq: number, envelope: Envelope): void {
    // Not waited for: the engine stores it while the client reads it. A connection closing throws here.
    try {
      this.connection.publish(subjects.kept(id), json({ seq, envelope }));
      this.unkept = false;
    } catch (error) {
      // Said once until one is kept again: a node whose engine is gone would say it per message.
      if (!this.unkept) this.failed('messages are not kept for a resume elsewhere')(error);
      this.unkept = true;
    }
  }

  /** The record of `entryKey` if `token` is its token; undefined when there is none or it is another's. */
  async find(entryKey: string, token: string): Promise<ResumeRecord | undefined> {
    const current = await this.records.get(entryKey);
    const record = current?.operation === 'PUT' ? readResumeRecord(current.value) : undefined;
    if (!record) return undefined;
    const given = Buffer.from(tokenDigest(token), 'hex');
    return timingSafeEqual(given, Buffer.from(record.digest, 'hex')) ? record : undefined;
  }

  /**
   * What registration `id` keeps, for a client that saw everything up to `lastSeq`. `handed`: the
   * number its node said its next message takes (it handed the registration over): the copies
   * published before that are waited for a moment, as they may still be on their way.
   */
  async read(id: string, lastSeq: number, handed?: number): Promise<KeptForResume> {
    let kept = await this.readOnce(id);
    for (let waited = 0; handed !== undefined && highest(kept, 0) < handed - 1 && waited < READ_AGAIN; waited++) {
      await new Promise((resolve) => setTimeout(resolve, READ_AGAIN_MS));
      kept = await this.readOnce(id);
    }
    // A client's own number is believed only so far: a number past this is a client's lie.
    const seen = Math.min(lastSeq, highest(kept, 0) + MAX_UNSEEN);
    return {
      missed: kept.filter(({ seq }) => seq > seen).map(({ seq, envelope }) => ({ ...envelope, seq })),
      delivered: kept.map(({ envelope }) => envelope),
      nextSeq: Math.max(highest(kept, seen), (handed ?? 1) - 1) + 1,
    };
  }

  /**
   * Every message kept under `id`, oldest first: read from whichever copy of the stream answers
   * (a consumer, which the engine may place on a server that is gone, only where the stream allows
   * no direct reads: one another version made).
   */
  private async readOnce(id: string): Promise<Kept[]> {
    try {
      return await this.readDirect(id);
    } catch {
      return await this.readByConsumer(id);
    }
  }

  /** Read from any copy; one that lags behind the stream's leader (a server just back) is not believed. */
  private async readDirect(id: string): Promise<Kept[]> {
    const kept: Kept[] = [];
    const subject = subjects.kept(id);
    let seq = 0;
    for (let read = 0; read < this.perRegistration; read++) {
      const stored = await this.manager.direct.getMessage(KEPT_STREAM.name, { seq, next_by_subj: subject });
      if (!stored) break;
      const message = readKeptMessage(stored.data);
      if (message) kept.push(message);
      seq = stored.seq + 1;
    }
    const last = await this.manager.streams.getMessage(KEPT_STREAM.name, { last_by_subj: subject });
    if (last && last.seq >= seq) throw new Error('a copy of the kept messages lags behind the stream');
    return kept;
  }

  /** Every message kept under `id`, oldest first; throws when fewer arrive than the stream holds. */
  private async readByConsumer(id: string): Promise<Kept[]> {
    const consumer = await this.client.consumers.get(KEPT_STREAM.name, { filter_subjects: subjects.kept(id) });
    try {
      // A stream another version made may keep more per subject: no more than a node keeps is read.
      const pending = Math.min((await consumer.info()).num_pending, this.perRegistration);
      const kept: Kept[] = [];
      if (pending === 0) return kept;
      let arrived = 0;
      for await (const message of await consumer.fetch({ max_messages: pending, expires: READ_MS })) {
        const read = readKeptMessage(message.data);
        if (read) kept.push(read);
        if (++arrived >= pending) break;
      }
      if (arrived < pending) throw new Error(`${arrived} of the ${pending} kept messages arrived in time`);
      return kept;
    } finally {
      consumer.delete().catch(() => undefined);
    }
  }

  /** Records written again before they age out of the bucket. */
  refresh(): void {
    for (const [entryKey, { value }] of this.written)
      this.records.put(entryKey, value).catch(this.failed(`a registration's record was not renewed`));
  }

  /** A room ended here: its records age out. */
  forgetRoom(prefix: string): void {
    for (const entryKey of [...this.written.keys()]) if (entryKey.startsWith(prefix)) this.written.delete(entryKey);
  }

  private failed(what: string): (error: unknown) => void {
    return (error) => this.log(`${what}: ${errorText(error)}`);
  }
}
