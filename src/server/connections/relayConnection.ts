/**
 * One connection as the relay holds it: its socket's parts, its session once its first bytes
 * chose a dialect, and the gate its input passes while it sends; and how the relay ends it in its
 * dialect.
 */
import type { ErrorCode } from '../../protocol/frames';
import { encodeUtf8 } from '../../protocol/utf8';
import { courseText } from '../sessions/courseText';
import type { ClientConnection } from './clientConnection';
import { CourseSession } from '../sessions/courseSession';
import { FramedSession } from '../sessions/framedSession';
import type { InputGate } from '../budgets/inputGate';

export type Session = CourseSession | FramedSession;

export interface Connection {
  link: ClientConnection;
  session: Session | undefined;
  /**
   * Made at the connection's first bytes, and let go while its allowance is full again (`idle`):
   * an idle connection holds none.
   */
  gate: InputGate | undefined;
}

/** What a connection holds only while it sends or is written to goes once it is idle (its gate, its output). */
export function letIdleGo(connection: Connection): void {
  if (connection.gate?.idle) connection.gate = undefined;
  connection.link.letIdleOutputGo();
}

/**
 * Ends a connection in its own dialect: a framed client hears a fatal error, a course client a
 * German line; one that has not chosen a dialect yet is closed (`otherwise`).
 */
export function endInDialect(
  { link, session }: Connection,
  [code, message]: [ErrorCode, string],
  courseLine: string,
  reason: string,
  otherwise: () => void = () => link.destroy(reason),
): void {
  if (session instanceof FramedSession) session.refuse(code, message);
  else if (session instanceof CourseSession) session.refuse(courseLine, reason);
  else otherwise();
}

/**
 * Every connection is told why in its dialect and closed: registered clients by a last frame or
 * line, the rest by hanging up.
 */
export function letAllGo(
  connections: Iterable<Connection>,
  framed: [ErrorCode, string],
  courseLine: string,
  reason: string,
): void {
  for (const connection of connections) {
    const { link, session } = connection;
    if (session instanceof CourseSession && !session.registered) link.hangUp(reason);
    else endInDialect(connection, framed, courseLine, reason, () => link.hangUp(reason));
  }
}

/** The connection did not register in time (or sent no byte at all): it is told so in its dialect, and closed. */
export function registrationTimedOut(connection: Connection, why: string): void {
  const { link } = connection;
  link.log.write('refused', link.remote, why);
  endInDialect(
    connection,
    ['registration-timeout', 'no hello within the registration time'],
    courseText.registrationTimeout(),
    'registration timeout',
    () => {
      link.out.write(encodeUtf8(courseText.registrationTimeout()), 'reply');
      link.hangUp('registration timeout');
    },
  );
}
