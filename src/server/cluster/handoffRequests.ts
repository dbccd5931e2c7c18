/**
 * A client resumes on another node a registration this node holds (it could not reach this one):
 * once that node took the name over, it asks this one to hand the registration over. This node
 * closes its own connection of the client, forgets the registration, and answers the number its
 * next message would have taken, so that the other node reads every message kept before it.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { RoomListener } from '../routing/clusterLink';
import { subjects } from './clusterKeys';
import { readHandoffAnswer, readHandoffRequest } from './engineReads';
import { answerRoomRequests, askNode } from './nodeRequests';

type Handed = { nextSeq?: number };

/** Answers the other nodes' requests to hand over this node's registrations. */
export function answerHandoffs(
  connection: NatsConnection,
  node: string,
  room: (room: string) => RoomListener | undefined,
  guarded: <T>(work: () => T, otherwise: T) => T,
): void {
  answerRoomRequests<{ room: string; key: string; id: string }, Handed>(connection, subjects.handoff(node), {
    read: readHandoffRequest,
    room,
    handle: (listener, request) => {
      const nextSeq = listener.handOff(request.key, request.id);
      return nextSeq === undefined ? {} : { nextSeq };
    },
    otherwise: {},
    guarded,
  });
}

/** The number registration `id`'s next message would have taken on `node`; undefined: it keeps none, or is gone. */
export async function requestHandoff(
  connection: NatsConnection,
  node: string,
  request: { room: string; key: string; id: string },
  timeout: number,
): Promise<number | undefined> {
  const handed = await askNode<Handed>(connection, subjects.handoff(node), request, timeout, readHandoffAnswer, {});
  return handed.nextSeq;
}
