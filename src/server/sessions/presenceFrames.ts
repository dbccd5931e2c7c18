/** Presence as framed clients get it: encoded once per change for everyone who gets the same bytes. */
import { encodeFrame } from '../../protocol/frameCodec';
import type { ServerFrame } from '../../protocol/frames';
import type { PresenceChange } from '../routing/presenceFeed';

/** Presence for clients that asked for batches: one frame, encoded once for everyone. */
const batches = new WeakMap<PresenceChange, Uint8Array>();
export function batchBytes(change: PresenceChange): Uint8Array {
  let bytes = batches.get(change);
  if (!bytes) {
    const frame: ServerFrame = {
      type: 'presence-batch',
      joined: change.joined,
      left: change.left,
      online: change.online,
    };
    if (change.truncated) frame.truncated = true;
    bytes = encodeFrame(frame);
    batches.set(change, bytes);
  }
  return bytes;
}

/** Presence for version-1 clients without batches: one frame per join and leave, still only once per batch. */
const events = new WeakMap<PresenceChange, Uint8Array>();
export function eventBytes(change: PresenceChange): Uint8Array {
  let bytes = events.get(change);
  if (!bytes) {
    const frames = [
      ...change.left.map((name) => encodeFrame({ type: 'presence', event: 'leave', name })),
      ...change.joined.map((name) => encodeFrame({ type: 'presence', event: 'join', name })),
    ];
    bytes = Buffer.concat(frames);
    events.set(change, bytes);
  }
  return bytes;
}
