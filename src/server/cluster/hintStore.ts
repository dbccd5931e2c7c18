/**
 * Teachers' hints across relay nodes: published into a JetStream stream that keeps the last 50 of
 * each class, so that they reach every node's members at once and a node where the class starts
 * later finds them for its late joiners; cleared for all when a teacher clears them.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { RoomListener } from '../routing/clusterLink';
import type { Envelope } from '../routing/peer';
import { HINTS_STREAM, subjects } from './clusterKeys';
import { contained, ensureStream, errorText, json } from './engineCalls';
import { readHint, readHintsCleared } from './engineReads';

type Hint = Extract<Envelope, { type: 'broadcast' }>;

/** How long a room that starts here waits for the kept hints, at most. */
const LOAD_MS = 2000;

export class HintStore {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly client: JetStreamClient,
    private readonly node: string,
    private readonly log: (text: string) => void,
  ) {}

  /** Opens the stream (made by the first node, with `replicas` copies). */
  static async open(
    connection: NatsConnection,
    node: string,
    replicas: number,
    log: (text: string) => void,
  ): Promise<HintStore> {
    const manager = await jetstreamManager(connection);
    await ensureStream(manager, {
      name: HINTS_STREAM.name,
      subjects: [...HINTS_STREAM.subjects],
      max_msgs_per_subject: HINTS_STREAM.perClass,
      max_age: 12 * 3600 * 1e9,
      num_replicas: replicas,
    });
    return new HintStore(connection, manager, jetstream(connection), node, log);
  }

  /**
   * Follows a room's hints and clears from the other nodes, and hands the kept ones to a room that
   * starts here: `loaded` settles once they are in (a registration waits for it, so that its
   * welcome brings them).
   */
  follow(room: string, listener: RoomListener): { subscriptions: Subscription[]; loaded: Promise<void> } {
    const hints = this.connection.subscribe(subjects.hint(room), {
      callback: (error, message) => {
        const hint = error ? undefined : readHint(message.data, this.node);
        if (hint) contained(this.log, () => listener.hintHere(hint), undefined);
      },
    });
    const cleared = this.connection.subscribe(subjects.hintsCleared(room), {
      callback: (error, message) => {
        const clear = error ? undefined : readHintsCleared(message.data, this.node);
        if (clear) contained(this.log, () => listener.hintsClearedHere(clear.by, clear.at), undefined);
      },
    });
    const loaded = this.load(room, listener).catch((error: unknown) =>
      this.log(`the kept hints of ${room || 'the default class'} were not read: ${errorText(error)}`),
    );
    return { subscriptions: [hints, cleared], loaded };
  }

  publish(room: string, envelope: Hint): void {
    this.client
      .publish(subjects.hint(room), json({ node: this.node, envelope }))
      .catch((error: unknown) => this.log(`a hint was not kept for later joiners: ${errorText(error)}`));
  }

  clear(room: string, by: string, at: string): void {
    this.manager.streams
      .purge(HINTS_STREAM.name, { filter: subjects.hint(room) })
      .then(() => this.connection.publish(subjects.hintsCleared(room), json({ node: this.node, by, at })))
      .catch((error: unknown) => this.log(`the hints were not cleared on the other nodes: ${errorText(error)}`));
  }

  private async load(room: string, listener: RoomListener): Promise<void> {
    const consumer = await this.client.consumers.get(HINTS_STREAM.name, { filter_subjects: subjects.hint(room) });
    const pending = (await consumer.info()).num_pending;
    if (pending === 0) return;
    const batch = await consumer.fetch({ max_messages: HINTS_STREAM.perClass, expires: LOAD_MS });
    let read = 0;
    for await (const message of batch) {
      const hint = readHint(message.data, undefined);
      if (hint) contained(this.log, () => listener.hintKept(hint), undefined);
      if (++read >= pending) break;
    }
  }
}
