/**
 * The framed protocol spoken between the relay and its own clients: one JSON object per
 * LF-terminated line. docs/protocol.md is the specification; its code is in parts, gathered
 * here: the frames (frames.ts, types only, which the chat panel imports too), their bytes
 * (frameCodec.ts), and the checks of what arrives (frameFields.ts, and a parser for each
 * direction).
 */
export * from './frames';
export { encodeFrame, FrameDecoder, type DecodedLine } from './frameCodec';
export type { ParseResult } from './frameFields';
export { parseClientFrame } from './clientFrameParser';
export { parseServerFrame } from './serverFrameParser';
