/**
 * One connection as the relay holds it: its socket's parts, its session once its first bytes
 * chose a dialect, and the gate its input passes; and how the relay ends it in its dialect.
 */
import type { ErrorCode } from '../../protocol/frames';
import type { ClientConnection } from './clientConnection';
import { CourseSession } from '../sessions/courseSession';
import { FramedSession } from '../sessions/framedSession';
import type { InputGate } from '../budgets/inputGate';

export type Session = CourseSession | FramedSession;

export interface Connection {
  link: ClientConnection;
  session: Session | undefined;
  gate: InputGate;
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
