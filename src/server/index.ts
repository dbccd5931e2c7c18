/** The relay as the package offers it. */
export { RelayServer, DEFAULT_COURSE_TIMING, type RelayServerOptions } from './relayServer';
export { StateLocked } from './state/stateLock';
export { defaultStateDir } from './state/stateDir';
export type { LogSink } from './log';
export { loadTlsIdentity, type RelayAddresses, type TlsListenerOptions } from './connections/listeners';
