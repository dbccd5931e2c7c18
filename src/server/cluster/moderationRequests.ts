/**
 * A teacher's moderation of a member on another node: a request to that node, which carries it
 * out on its own member and answers how it fared.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Moderation } from '../../protocol/classroom';
import type { ModerationResult } from '../classroom/classroom';
import type { RoomListener } from '../routing/clusterLink';
import { subjects } from './clusterKeys';
import { json } from './engineCalls';
import { readModerateRequest, readModerationResult } from './engineReads';

/** A member another node could not moderate: gone from it, or the node did not answer. */
const NOT_HERE: ModerationResult = { status: 'unknown-peer' };

/** Answers the other nodes' requests to moderate this node's members. */
export function answerModeration(
  connection: NatsConnection,
  node: string,
  room: (room: string) => RoomListener | undefined,
  guarded: <T>(work: () => T, otherwise: T) => T,
): void {
  connection.subscribe(subjects.moderate(node), {
    callback: (error, message) => {
      if (error) return;
      const request = readModerateRequest(message.data);
      const listener = request && room(request.room);
      const result = listener ? guarded(() => listener.moderateHere(request.key, request.action), NOT_HERE) : NOT_HERE;
      message.respond(json(result));
    },
  });
}

export async function requestModeration(
  connection: NatsConnection,
  node: string,
  request: { room: string; key: string; action: Moderation },
  timeout: number,
): Promise<ModerationResult> {
  try {
    const reply = await connection.request(subjects.moderate(node), json(request), { timeout });
    return readModerationResult(reply.data) ?? NOT_HERE;
  } catch {
    return NOT_HERE;
  }
}
