/** The package as a library: run a relay, or talk to one. */
export {
  RelayServer,
  DEFAULT_COURSE_TIMING,
  type RelayServerOptions,
  type LogSink,
  type RelayAddresses,
  type TlsListenerOptions,
} from './server';
export { openSession, type OpenOptions } from './client';
export * from './client/types';
export * from './protocol/framed';
export * as course from './protocol/course';
export * from './protocol/limits';
export { checkName } from './protocol/names';
