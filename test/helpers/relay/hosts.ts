/**
 * Framed clients from other loopback addresses (127.x.y.z standing in for other hosts): a hello,
 * and the frames the relay answers, read from a raw socket.
 */
import { RawPeer } from './peers';
import { encodeFrame } from '../../../src/protocol/frameCodec';
import type { ClientFrame, Resume, ServerFrame } from '../../../src/protocol/frames';

export interface HostPeer {
  peer: RawPeer;
  /** The relay's answer to the hello: a welcome or an error. */
  answer: ServerFrame;
}

/** Connects from `from` and says hello as `name`; resolves with the relay's answer. */
export async function helloFrom(port: number, from: string, name: string, resume?: Resume): Promise<HostPeer> {
  const peer = await RawPeer.connect(port, { from });
  const hello: ClientFrame = { type: 'hello', protocol: 'classroom-relay', versions: [1], name };
  peer.write(encodeFrame(resume ? { ...hello, resume } : hello));
  await peer.waitFor('\n');
  return { peer, answer: framesOf(peer)[0]! };
}

/** Every whole frame a raw peer got so far. */
export function framesOf(peer: RawPeer): ServerFrame[] {
  const whole = peer.text.slice(0, peer.text.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ServerFrame);
}

/** Sends `frame` and waits for the acknowledgement of its id. */
export async function sendFrom(peer: RawPeer, frame: ClientFrame & { id: string }): Promise<ServerFrame> {
  const before = framesOf(peer).length;
  peer.write(encodeFrame(frame));
  await peer.waitFor(() =>
    framesOf(peer)
      .slice(before)
      .some((got) => got.type === 'ack' && got.id === frame.id),
  );
  return framesOf(peer)
    .slice(before)
    .find((got) => got.type === 'ack' && got.id === frame.id)!;
}
