/**
 * Requests from one relay node to another about a member of a room there (moderationRequests.ts,
 * handoffRequests.ts): read as untrusted bytes, carried out by the room's listener, answered as
 * JSON; a request that finds no room, or fails there, is answered `otherwise`.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { RoomListener } from '../routing/clusterLink';
import { json } from './engineCalls';

export function answerRoomRequests<R extends { room: string }, A>(
  connection: NatsConnection,
  subject: string,
  parts: {
    read(data: Uint8Array): R | undefined;
    room(room: string): RoomListener | undefined;
    handle(listener: RoomListener, request: R): A;
    otherwise: A;
    guarded<T>(work: () => T, otherwise: T): T;
  },
): void {
  connection.subscribe(subject, {
    callback: (error, message) => {
      if (error) return;
      const request = parts.read(message.data);
      const listener = request && parts.room(request.room);
      const answer = listener ? parts.guarded(() => parts.handle(listener, request), parts.otherwise) : parts.otherwise;
      message.respond(json(answer));
    },
  });
}

/** Asks the node behind `subject`; its answer as `read` makes it out, or `otherwise` when none comes. */
export async function askNode<A>(
  connection: NatsConnection,
  subject: string,
  request: unknown,
  timeout: number,
  read: (data: Uint8Array) => A | undefined,
  otherwise: A,
): Promise<A> {
  try {
    const reply = await connection.request(subject, json(request), { timeout });
    return read(reply.data) ?? otherwise;
  } catch {
    return otherwise;
  }
}
