/**
 * One set of socket listeners for every connection of the relay. A closure per socket and event
 * costs about 60 bytes each, so thousands of idle connections would hold kilobytes of functions
 * that all do the same; instead each socket carries its connection, and the shared listeners,
 * called with the socket as `this`, hand it to the relay.
 */
import type { Socket } from 'node:net';

/** What the relay does with a connection's socket events. */
export interface SocketHandlers<C> {
  data(connection: C, data: Buffer): void;
  end(connection: C): void;
  error(connection: C, error: Error): void;
  close(connection: C): void;
}

const CONNECTION = Symbol('connection');

type Carrier<C> = Socket & { [CONNECTION]?: C };

/** The connection `socket` carries, once attached. */
export function connectionOf<C>(socket: Socket): C | undefined {
  return (socket as Carrier<C>)[CONNECTION];
}

/** Errors of a socket nobody handles (refused, or not yet attached) are dropped, not thrown. */
export function ignoreErrors(socket: Socket): void {
  socket.on('error', ignore);
}

function ignore(): void {}

export class SocketEvents<C> {
  private readonly onData: (this: Socket, data: Buffer) => void;
  private readonly onEnd: (this: Socket) => void;
  private readonly onError: (this: Socket, error: Error) => void;
  private readonly onClose: (this: Socket) => void;

  constructor(handlers: SocketHandlers<C>) {
    // `function`, not arrows: an emitter calls its listeners with itself as `this`.
    this.onData = function (data) {
      const connection = connectionOf<C>(this);
      if (connection) handlers.data(connection, data);
    };
    this.onEnd = function () {
      const connection = connectionOf<C>(this);
      if (connection) handlers.end(connection);
    };
    this.onError = function (error) {
      const connection = connectionOf<C>(this);
      if (connection) handlers.error(connection, error);
    };
    this.onClose = function () {
      const connection = connectionOf<C>(this);
      if (connection) handlers.close(connection);
    };
  }

  /** From now on `socket`'s events go to `connection`'s handlers (its errors too: no other listener is needed). */
  attach(socket: Socket, connection: C): void {
    (socket as Carrier<C>)[CONNECTION] = connection;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }
}
