/**
 * A teacher's moderation of a member on another node: a request to that node, which carries it
 * out on its own member and answers how it fared.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Moderation } from '../../protocol/classroom';
import type { ModerationResult } from '../classroom/classroom';
import type { RoomListener } from '../routing/clusterLink';
import { subjects } from './clusterKeys';
import { readModerateRequest, readModerationResult } from './engineReads';
import { answerRoomRequests, askNode } from './nodeRequests';

/** A member another node could not moderate: gone from it, or the node did not answer. */
const NOT_HERE: ModerationResult = { status: 'unknown-peer' };

/** Answers the other nodes' requests to moderate this node's members. */
export function answerModeration(
  connection: NatsConnection,
  node: string,
  room: (room: string) => RoomListener | undefined,
  guarded: <T>(work: () => T, otherwise: T) => T,
): void {
  answerRoomRequests(connection, subjects.moderate(node), {
    read: readModerateRequest,
    room,
    handle: (listener, request) => listener.moderateHere(request.key, request.action),
    otherwise: NOT_HERE,
    guarded,
  });
}

export function requestModeration(
  connection: NatsConnection,
  node: string,
  request: { room: string; key: string; action: Moderation },
  timeout: number,
): Promise<ModerationResult> {
  return askNode(connection, subjects.moderate(node), request, timeout, readModerationResult, NOT_HERE);
}
