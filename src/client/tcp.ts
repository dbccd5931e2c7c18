/** Plain TCP for the clients: connecting with failures a person can act on, and ending within a bound. */
import { connect, type Socket } from 'node:net';
import { RelayError } from './types';

/** Opens a TCP connection, turning failures into RelayErrors a person can act on. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RelayError('timeout', `no answer from ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      // Lets the operating system notice a peer that vanished, also where the protocol has no keepalive.
      socket.setKeepAlive(true, 15_000);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(describeConnectError(error, host, port));
    });
  });
}

export function describeConnectError(error: NodeJS.ErrnoException, host: string, port: number): RelayError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new RelayError('refused', `connection to ${host}:${port} refused: no relay is listening there`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RelayError('not-found-host', `the host name "${host}" could not be resolved`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new RelayError('unreachable', `${host} cannot be reached from this machine`);
    case 'ETIMEDOUT':
      return new RelayError('timeout', `no answer from ${host}:${port}`);
    default:
      return new RelayError('closed', `could not connect to ${host}:${port}: ${error.message}`);
  }
}

/**
 * Ends a connection; a peer that never closes its side (frozen, hostile) cannot keep the socket: it
 * is destroyed after 2 s.
 */
export function endSoon(socket: Socket): void {
  socket.end();
  if (socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
