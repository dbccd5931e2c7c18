/** Limits shared by the relay, its clients and the protocol spec (docs/protocol.md). */
export const PROTOCOL_NAME = 'classroom-relay';
export const PROTOCOL_VERSIONS = [1] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export const DEFAULT_PORT = 12345;
/** The relay's TLS listener, beside the plain one (docs/protocol.md, "TLS"). */
export const DEFAULT_TLS_PORT = 12346;

/** One framed-protocol frame, JSON plus its terminating LF. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Text of a direct message or broadcast, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 16 * 1024;
/** Code of a snippet, in UTF-8 bytes. */
export const MAX_SNIPPET_BYTES = 48 * 1024;
/** One line-dialect message (`Recipient:Text`) the relay accepts from a course client. */
export const MAX_COURSE_MESSAGE_BYTES = 16 * 1024;
/** The course server reads with recv(1024): nothing sent to a course peer may be larger. */
export const COURSE_RECV_BYTES = 1024;
/** Client-chosen message ids. */
export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 32;
export const MAX_LANGUAGE_LENGTH = 40;
export const MAX_FILE_NAME_LENGTH = 260;
/** Bytes queued for a peer that does not read before the relay refuses more for it. */
export const MAX_PENDING_OUTPUT_BYTES = 1024 * 1024;
