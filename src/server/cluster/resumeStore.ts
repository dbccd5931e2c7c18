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
import { jetstream, jetstreamManager, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import type { Envelope } from '../routing/peer';
import type { ResumeLimits } from '../routing/registrations';
import { KEPT_STREAM, subjects } from './clusterKeys';
import { errorText, json, retried } from './engineCalls';
import { readKeptMessage, readResumeRecord, type ResumeRecord } from './engineReads';

/** How long reading a registration's kept messages may take, at most. */
const READ_MS = 2000;

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

  private constructor(
    private readonly connection: NatsConnection,
    private readonly client: JetStreamClient,
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
    const manager = await jetstreamManager(connection);
    await retried(() =>
      manager.streams
        .add({
          name: KEPT_STREAM.name,
          subjects: [...KEPT_STREAM.subjects],
          // In memory, copied to `replicas` servers: kept for minutes, and read only when a node is lost.
          storage: StorageType.Memory,
          max_msgs_per_subject: limits.messages,
          max_age: limits.keepMs * 1e6,
          max_bytes: limits.totalBytes,
          num_replicas: replicas,
        })
        .catch(() => manager.streams.info(KEPT_STREAM.name)),
    );
    return new ResumeStore(connection, jetstream(connection), records, node, limits.messages, log);
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
    // Not waited for: the engine stores it while the client reads it.
    this.connection.publish(subjects.kept(id), json({ seq, envelope }));
  }

  /** The record of `entryKey` if `token` is its token; undefined when there is none or it is another's. */
  async find(entryKey: string, token: string): Promise<ResumeRecord | undefined> {
    const current = await this.records.get(entryKey);
    const record = current?.operation === 'PUT' ? readResumeRecord(current.value) : undefined;
    if (!record) return undefined;
    const given = Buffer.from(tokenDigest(token), 'hex');
    return timingSafeEqual(given, Buffer.from(record.digest, 'hex')) ? record : undefined;
  }

  /** What registration `id` keeps, for a client that saw everything up to `lastSeq`. */
  async read(id: string, lastSeq: number): Promise<KeptForResume> {
    const consumer = await this.client.consumers.get(KEPT_STREAM.name, { filter_subjects: subjects.kept(id) });
    // A stream another version made may keep more per subject: no more than a node keeps is read.
    const pending = Math.min((await consumer.info()).num_pending, this.perRegistration);
    const kept: Array<{ seq: number; envelope: Envelope }> = [];
    if (pending > 0) {
      const batch = await consumer.fetch({ max_messages: pending, expires: READ_MS });
      for await (const message of batch) {
        const read = readKeptMessage(message.data);
        if (read) kept.push(read);
        if (kept.length >= pending) break;
      }
    }
    const last = kept.reduce((highest, { seq }) => Math.max(highest, seq), lastSeq);
    return {
      missed: kept.filter(({ seq }) => seq > lastSeq).map(({ seq, envelope }) => ({ ...envelope, seq })),
      delivered: kept.map(({ envelope }) => envelope),
      nextSeq: last + 1,
    };
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
