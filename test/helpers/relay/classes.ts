/** Class requests as a script sends them: one frame on a connection of its own, the answer, then the close. */
import type { ClientFrame, ServerFrame } from '../../../src/protocol/frames';
import { FramedPeer } from './peers';

type ClassRequest = Extract<ClientFrame, { type: 'class-create' | 'class-list' | 'class-end' }>;
type ClassAnswer = Extract<ServerFrame, { type: 'class-created' | 'classes' | 'class-ended' | 'error' }>;

export async function classRequest(port: number, frame: ClassRequest, from?: string): Promise<ClassAnswer> {
  const peer = await FramedPeer.connect(port, undefined, { from });
  peer.send(frame);
  await peer.waitClosed();
  const answer = peer.frames.find((each): each is ClassAnswer =>
    ['class-created', 'classes', 'class-ended', 'error'].includes(each.type),
  );
  if (!answer) throw new Error(`no answer to ${frame.type}; got ${JSON.stringify(peer.frames)}`);
  return answer;
}

/** A new class made with `adminKey`: its code and teacher key. */
export async function makeClass(port: number, adminKey?: string): Promise<{ code: string; teacherKey: string }> {
  const answer = await classRequest(port, { type: 'class-create', id: 'c1', adminKey });
  if (answer.type !== 'class-created') throw new Error(`no class made: ${JSON.stringify(answer)}`);
  return { code: answer.code, teacherKey: answer.teacherKey };
}
