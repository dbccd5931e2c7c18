/**
 * What a framed client says first (its hello), and what a wire trace shows of a hello and a
 * welcome: the secrets in them, a teacher key and a resume token, are hidden.
 */
import { encodeFrame } from '../protocol/frameCodec';
import type { ClientFrame, Resume } from '../protocol/frames';
import { PROTOCOL_NAME, PROTOCOL_VERSIONS } from '../protocol/limits';

export function helloFrame(
  name: string,
  client: string,
  resume?: Resume,
  teacherKey?: string,
  classCode?: string,
): ClientFrame {
  const hello: ClientFrame = {
    type: 'hello',
    protocol: PROTOCOL_NAME,
    versions: [...PROTOCOL_VERSIONS],
    name,
    client,
    features: ['presence-batch'],
  };
  if (resume) hello.resume = resume;
  if (teacherKey !== undefined) hello.teacherKey = teacherKey;
  if (classCode !== undefined) hello.class = classCode;
  return hello;
}

/** A frame's bytes as a wire trace shows them: the teacher key of a hello is hidden. */
export function traceBytes(frame: ClientFrame, bytes: Uint8Array): Uint8Array {
  if (frame.type !== 'hello' || (frame.teacherKey === undefined && frame.resume === undefined)) return bytes;
  return encodeFrame({
    ...frame,
    ...(frame.teacherKey !== undefined ? { teacherKey: '(hidden)' } : {}),
    ...(frame.resume !== undefined ? { resume: { ...frame.resume, token: '(hidden)' } } : {}),
  });
}

/** What the relay sends, as the wire trace shows it: the welcome's resume token hidden. */
export function traceIncoming(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('"resume"')) return bytes;
  return Buffer.from(text.replace(/"resume":"[^"]*"/g, '"resume":"(hidden)"'), 'latin1');
}
