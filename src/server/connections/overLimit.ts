/**
 * Connections over a limit: each gets one line in its own dialect, from its first bytes, then is
 * closed. Only a few wait for their first bytes at once; the rest are dropped.
 */
import type { Socket } from 'node:net';
import { encodeFrame } from '../../protocol/frameCodec';
import { encodeUtf8 } from '../../protocol/utf8';
import { courseText } from '../sessions/courseText';
import { RELAY_DEFAULTS } from '../policy/defaults';
import type { ConnectionLog } from '../log';

export class OverLimit {
  private refusing = 0;

  constructor(private readonly log: ConnectionLog) {}

  refuse(socket: Socket, remote: string, why: string): void {
    this.log.write('refused', remote, why);
    if (this.refusing >= RELAY_DEFAULTS.refusingAtOnce.value) {
      socket.destroy();
      return;
    }
    this.refusing++;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(done, RELAY_DEFAULTS.refusalWaitMs.value);
    socket.once('close', () => {
      clearTimeout(timer);
      this.refusing--;
    });
    socket.once('data', (data: Buffer) => {
      const answer =
        data[0] === 0x7b
          ? encodeFrame({
              type: 'error',
              code: 'too-many-connections',
              message: 'the relay has too many connections; try again later',
              fatal: true,
            })
          : encodeUtf8(`${courseText.serverFull()}\n`);
      socket.end(answer);
      setTimeout(done, RELAY_DEFAULTS.refusalLingerMs.value).unref();
    });
  }
}
