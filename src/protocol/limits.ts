/**
 * Every limit of the wire formats, in one place: the relay, its clients, the extension and the
 * chat panel import them from here, and docs/protocol.md states them. Lengths in bytes are
 * UTF-8 bytes; lengths in characters count code points. What a relay may set for itself (names
 * in a welcome or a page of `who`, output waiting for a client) is its defaults table's
 * (src/server/policy/defaults.ts): a client reads those from what the relay sends.
 */
export const PROTOCOL_NAME = 'classroom-relay';
export const PROTOCOL_VERSIONS = [1] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export const DEFAULT_PORT = 12345;
/** The relay's TLS listener, beside the plain one (docs/protocol.md, "TLS"). */
export const DEFAULT_TLS_PORT = 12346;

// ---- frames and what they carry ----

/** One framed-protocol frame, JSON plus its terminating LF. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Text of a direct message or broadcast. */
export const MAX_TEXT_BYTES = 16 * 1024;
/** Code of a snippet. */
export const MAX_SNIPPET_BYTES = 48 * 1024;
/** Client-chosen message ids. */
export const MAX_ID_LENGTH = 64;
/** A name a client registers, in characters. */
export const MAX_NAME_LENGTH = 32;
/**
 * A name as a hello, a recipient or a moderation carries it: MAX_NAME_LENGTH characters of up
 * to four bytes each. A longer recipient is nobody.
 */
export const MAX_NAME_BYTES = 4 * MAX_NAME_LENGTH;
/**
 * A name in what the relay sends (a sender, a roster entry, presence, a page cursor): a client
 * reads the relay's names more loosely than the relay checks a client's.
 */
export const MAX_RELAYED_NAME_BYTES = 1024;
export const MAX_LANGUAGE_LENGTH = 40;
export const MAX_FILE_NAME_LENGTH = 260;
/** The software a hello's `client` and a welcome's `server` name. */
export const MAX_CLIENT_LABEL_BYTES = 100;
export const MAX_SERVER_LABEL_BYTES = 100;
/** A resume token as a hello presents it and a welcome hands it out (the relay's are 24 characters). */
export const MAX_RESUME_TOKEN_BYTES = 128;
/** The longest teacher key a hello may carry. */
export const MAX_TEACHER_KEY_BYTES = 256;
/** A class's code as a hello or a class request carries it (`4kx-92m`, typed loosely). */
export const MAX_CLASS_CODE_BYTES = 32;
/** The longest admin key a class request may carry. */
export const MAX_ADMIN_KEY_BYTES = 256;
/** Classes in one `classes` answer: a relay keeps no more (its `maxClasses` is bounded by it). */
export const MAX_LISTED_CLASSES = 1000;
/** An ISO 8601 time (`at`, `since`, `until`). */
export const MAX_TIME_BYTES = 64;
/** A roster entry's remote address and port. */
export const MAX_ADDRESS_BYTES = 128;
/** An error's `code` and an ack's `reason`. */
export const MAX_ERROR_CODE_BYTES = 64;
export const MAX_REJECT_REASON_BYTES = 64;
/** An ack's `detail` and an error's `message`, in English. */
export const MAX_DETAIL_BYTES = 1024;
export const MAX_ERROR_MESSAGE_BYTES = 4096;

// ---- the classroom (docs/protocol.md, "Teachers") ----

/** Longest a mute may be set for; longer means "until unmuted". */
export const MAX_MUTE_MINUTES = 24 * 60;
/** The question of a raised hand. */
export const MAX_QUESTION_BYTES = 1024;
/** A raised hand's question as teachers' rosters show it, cut to this many characters. */
export const ROSTER_QUESTION_CHARACTERS = 200;
/** The reason a teacher gives for disconnecting a student. */
export const MAX_REASON_BYTES = 512;
/** Roster entries in one frame; a larger class is listed with raised hands first, then by name. */
export const MAX_ROSTER_ENTRIES = 300;
/** A roster frame stays this far under the frame limit, whatever the names. */
export const MAX_ROSTER_FRAME_BYTES = 60 * 1024;
/** Teachers' broadcasts the relay keeps for those who join later: the last this many … */
export const KEPT_HINTS = 50;
/** … of at most this much text and code together, so that they fit any newcomer's output. */
export const KEPT_HINT_BYTES = 256 * 1024;

// ---- the course dialect ----

/** One line-dialect message (`Recipient:Text`) the relay accepts from a course client. */
export const MAX_COURSE_MESSAGE_BYTES = 16 * 1024;
/** The course server reads with recv(1024): nothing sent to a course peer may be larger. */
export const COURSE_RECV_BYTES = 1024;
