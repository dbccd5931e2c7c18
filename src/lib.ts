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
export * from './protocol/frames';
export { encodeFrame, FrameDecoder, type DecodedLine } from './protocol/frameCodec';
export type { ParseResult } from './protocol/frameFields';
export { parseClientFrame } from './protocol/clientFrameParser';
export { parseServerFrame } from './protocol/serverFrameParser';
export * as course from './protocol/course';
export * from './protocol/limits';
export { checkName } from './protocol/names';
