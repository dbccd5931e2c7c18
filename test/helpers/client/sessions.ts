/**
 * Our client's sessions and lasting connections for a test file, with the course dialect's waits
 * shortened and every event recorded; all of them are closed when the file is done.
 */
import { after } from 'node:test';
import { RelayConnection, type ConnectionOptions } from '../../../src/client/connection';
import type { ConnectionEvent } from '../../../src/client/connectionTypes';
import { openSession, type OpenOptions } from '../../../src/client/connect';
import type { RelaySession, SessionEvent } from '../../../src/client/types';
import { record } from '../time/wait';

/** The course dialect's pauses, short enough for tests and long enough for the Python re-creations. */
export const FAST_COURSE = { afterNameMs: 300, betweenSendsMs: 120, notFoundWaitMs: 600 };

export type Dialect = 'auto' | 'relay' | 'course' | 'course-lan';

/** Opens sessions that record what they hear; `next(type)` takes the first event of that type. */
export function sessionsForThisFile() {
  const sessions: RelaySession[] = [];
  after(() => {
    for (const session of sessions) session.close();
  });
  return async (port: number, name: string, dialect: Dialect = 'auto', more: Partial<OpenOptions> = {}) => {
    const session = await openSession({
      host: '127.0.0.1',
      port,
      name,
      dialect,
      course: FAST_COURSE,
      detectTimeoutMs: 800,
      ...more,
    });
    sessions.push(session);
    const { events, waiters } = record<SessionEvent>((listener) => session.onEvent(listener));
    const next = <T extends SessionEvent['type']>(type: T, timeoutMs = 5000) =>
      waiters.until(
        () => {
          const index = events.findIndex((event) => event.type === type);
          return index === -1 ? undefined : (events.splice(index, 1)[0] as Extract<SessionEvent, { type: T }>);
        },
        () => `a "${type}" event; got ${JSON.stringify(events)}`,
        timeoutMs,
      );
    return { session, events, next };
  };
}

/** Makes lasting connections with a short backoff, and waits on their deliveries, states and messages. */
export function connectionsForThisFile() {
  const connections: RelayConnection[] = [];
  after(() => {
    for (const connection of connections) connection.dispose();
  });
  return (options: Partial<ConnectionOptions> & { port: number; name: string }) => {
    const created = new RelayConnection({
      host: '127.0.0.1',
      dialect: 'auto',
      detectTimeoutMs: 800,
      backoff: { initialMs: 100, maxMs: 400 },
      course: FAST_COURSE,
      ...options,
    });
    connections.push(created);
    const { events, waiters } = record<ConnectionEvent>((listener) => created.onEvent(listener));
    const delivery = (id: string, state: string, timeoutMs = 10_000) =>
      waiters.until(
        () =>
          events.find((event) => event.type === 'delivery' && event.id === id && event.state === state) as
            Extract<ConnectionEvent, { type: 'delivery' }> | undefined,
        () => `${id} to be ${state}; events ${JSON.stringify(events.filter((event) => event.type === 'delivery'))}`,
        timeoutMs,
      );
    const state = (kind: string, timeoutMs = 10_000) =>
      waiters.until(
        () => (created.state.kind === kind ? created.state : undefined),
        () => `state ${kind}, now ${JSON.stringify(created.state)}`,
        timeoutMs,
      );
    const incoming = (text: string, timeoutMs = 10_000) =>
      waiters.until(
        () =>
          events.find(
            (event) => event.type === 'incoming' && event.event.type === 'message' && event.event.text === text,
          ),
        () => `message "${text}"`,
        timeoutMs,
      );
    return { connection: created, events, delivery, state, incoming };
  };
}
