/**
 * Every default of the relay, in one table: what one connection and the relay in total may use
 * (budgets), its timing and its keepalive, each with its unit, the `serve` flag that changes it
 * and what it is. The policy (policy.ts) and the parts of the relay take their figures from
 * here, `serve --help` prints its flags from here, and docs/reliability.md states the same
 * figures (test/server/defaults.test.ts holds them to it). The defaults fit a class of thirty
 * for a whole lesson with room to spare, and keep one hostile client from exhausting the relay.
 */
import type { RelayDefault } from './defaultTypes';

export type { DefaultUnit, RelayDefault, ServeFlag } from './defaultTypes';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const KIB = 1024;
const MIB = 1024 * KIB;

export const RELAY_DEFAULTS = {
  // ---- connections ----
  maxConnections: {
    value: 512,
    unit: 'connections',
    flag: { name: 'max-connections', takes: 'count' },
    description: 'connections open at once, in total',
  },
  maxConnectionsPerAddress: {
    value: 64,
    unit: 'connections',
    flag: { name: 'max-per-address', takes: 'count' },
    description:
      'connections from one address; a class behind one NAT router shares one address: raise it for a big class',
  },
  refusingAtOnce: {
    value: 64,
    unit: 'connections',
    description: 'connections over a limit that wait at once to be refused in their own dialect; the rest are dropped',
  },
  refusalWaitMs: {
    value: 1 * SECOND,
    unit: 'ms',
    description: 'how long a connection over a limit waits for its first bytes, to be refused in its own dialect',
  },
  refusalLingerMs: {
    value: 200,
    unit: 'ms',
    description: 'how long a refused connection has to read its answer before it is destroyed',
  },
  registrationTimeoutMs: {
    value: 60 * SECOND,
    unit: 'ms',
    flag: { name: 'registration-seconds', takes: 'seconds' },
    description: 'a connection that has not sent its name by then is closed',
  },
  courseIdleMs: {
    value: 120 * MINUTE,
    unit: 'ms',
    flag: { name: 'course-idle-minutes', takes: 'minutes' },
    description: 'a course client (Python, netcat) that sends nothing this long is disconnected',
  },
  keepaliveMs: {
    value: 15 * SECOND,
    unit: 'ms',
    flag: { name: 'keepalive-seconds', takes: 'seconds' },
    description: 'relay clients silent this long are pinged, and dropped after three such periods',
  },
  keepaliveMisses: {
    value: 3,
    unit: 'periods',
    description: 'keepalive periods of silence after which a relay client is dropped',
  },
  socketKeepaliveMs: {
    value: 30 * SECOND,
    unit: 'ms',
    description: "idle time after which the system's TCP keepalive starts probing a connection",
  },
  closeGraceMs: {
    value: 2 * SECOND,
    unit: 'ms',
    description: 'after the relay ends a connection, the peer has this long to close its side before it is destroyed',
  },
  sweepMs: {
    value: 1 * SECOND,
    unit: 'ms',
    description: 'the longest between two passes over the connections (deadlines, keepalive); shorter for short times',
  },
  housekeepingMs: {
    value: 1 * SECOND,
    unit: 'ms',
    description: 'how often what is kept too long (registrations, message ids) is looked for and forgotten',
  },
  maxUnregistered: {
    value: 128,
    unit: 'connections',
    flag: { name: 'max-unregistered', takes: 'count' },
    description: 'connections without a name yet (TLS ones still in their handshake too), in total',
  },
  maxUnregisteredPerAddress: {
    value: 64,
    unit: 'connections',
    flag: { name: 'max-unregistered-per-address', takes: 'count' },
    // As many as an address may have at all: a class typing its names into netcat behind one router is not thinned.
    description: 'connections without a name yet from one address; a newcomer over it closes the oldest of them',
  },
  waitingGraceMs: {
    value: 2 * SECOND,
    unit: 'ms',
    description: 'a connection without a name is closed to make room for a newcomer only after waiting this long',
  },
  silentMs: {
    value: 30 * SECOND,
    unit: 'ms',
    flag: { name: 'silent-seconds', takes: 'seconds' },
    description: 'a connection that has sent no byte by then is closed (a name typed into netcat takes a few seconds)',
  },
  tlsHandshakeTimeoutMs: {
    value: 10 * SECOND,
    unit: 'ms',
    flag: { name: 'tls-handshake-timeout', takes: 'seconds' },
    description: 'close a connection that has not completed its TLS handshake by then',
  },
  // ---- what one connection may make the relay buffer, and its errors ----
  outputMessageBytes: {
    value: 1 * MIB,
    unit: 'bytes',
    description: 'output waiting for a client beyond which messages for it are refused (recipient-busy)',
  },
  outputHeadroomBytes: {
    value: 64 * KIB,
    unit: 'bytes',
    description: "room beyond that for the relay's own replies; a client whose replies pass it is closed",
  },
  senderShare: {
    value: 1 / 4,
    unit: 'share',
    description: "the most of a paced course client's output one sender may fill, so others still get through",
  },
  outputTotalBytes: {
    value: 48 * MIB,
    unit: 'bytes',
    flag: { name: 'max-output-mib', takes: 'mebibytes' },
    description: 'output waiting for all clients together beyond which messages are refused (recipient-busy)',
  },
  outputTotalHeadroomBytes: {
    value: 16 * MIB,
    unit: 'bytes',
    description:
      'room beyond that for replies and messages to clients that read; then the one with most waiting is closed',
  },
  outputReserveBytes: {
    value: 64 * KIB,
    unit: 'bytes',
    description: 'a client with less than this waiting still gets messages when the output of all is past its budget',
  },
  errorCount: {
    value: 20,
    unit: 'errors',
    description: 'protocol errors (bad frames, refused messages) one connection may cause per window',
  },
  errorWindowMs: { value: 10 * SECOND, unit: 'ms', description: 'the window of the error budget' },
  // ---- input: every frame or line a connection sends, whatever it is ----
  inputPerSecond: {
    value: 10,
    unit: 'frames',
    flag: { name: 'input-rate', takes: 'count' },
    description: 'frames or lines one connection may send per second on average; past it the relay stops reading it',
  },
  inputBurst: {
    value: 100,
    unit: 'frames',
    description: 'frames or lines one connection may send at once before its input rate applies',
  },
  inputPerAddress: {
    // A connection's rate for each connection an address may have: classmates behind one router never wait for
    // the student beside them, and connections that come and go cannot start afresh.
    value: 640,
    unit: 'frames',
    flag: { name: 'input-rate-per-address', takes: 'count' },
    description: 'frames or lines all connections of one address may send per second on average',
  },
  inputAddressBurst: {
    value: 6400,
    unit: 'frames',
    description: 'frames or lines all connections of one address may send at once',
  },
  inputHoldMs: {
    value: 30 * SECOND,
    unit: 'ms',
    description: 'a connection that keeps sending past its own input rate this long without a break is closed',
  },
  // ---- messages per sender ----
  ratePerMinute: {
    value: 120,
    unit: 'messages',
    flag: { name: 'rate', takes: 'count' },
    description: 'messages per minute one sender may send on average',
  },
  rateBurst: {
    value: 60,
    unit: 'messages',
    flag: { name: 'rate-burst', takes: 'count' },
    description: 'messages one sender may send at once before the rate applies',
  },
  registrationsPerMinute: {
    value: 120,
    unit: 'registrations',
    flag: { name: 'registrations-per-minute', takes: 'count' },
    description: 'names one address may register per minute on average (new ones; a resume counts against its name)',
  },
  registrationBurst: {
    value: 128,
    unit: 'registrations',
    flag: { name: 'registration-burst', takes: 'count' },
    description:
      'names one address may register at once before that rate applies: a class behind one router fits twice',
  },
  whoPerMinute: {
    value: 60,
    unit: 'pages',
    description: "pages of who is online one client may ask for per minute, apart from its messages' rate",
  },
  whoBurst: { value: 20, unit: 'pages', description: 'pages of who is online one client may ask for at once' },
  ratePruneMs: {
    value: 10 * SECOND,
    unit: 'ms',
    description: 'how often the rate state of senders whose allowance is full again is forgotten',
  },
  // ---- the log ----
  logLines: {
    value: 10,
    unit: 'lines',
    description: 'log lines one connection may write per window before the rest are summed up',
  },
  logWindowMs: { value: 10 * SECOND, unit: 'ms', description: 'the window of the log budget' },
  logTotalLines: {
    value: 300,
    unit: 'lines',
    description: "lines all registered connections' own logs may write together per window, summed up past it",
  },
  joinLogLines: {
    value: 40,
    unit: 'lines',
    description: 'lines about clients joining, leaving or closed one address may write per window, summed up past it',
  },
  joinLogTotal: {
    value: 200,
    unit: 'lines',
    description: 'lines about clients joining, leaving or closed all addresses together may write per window',
  },
  // ---- delivered message ids, to acknowledge a resend without delivering it twice ----
  idsPerSender: { value: 256, unit: 'ids', description: 'delivered message ids kept per sender' },
  idsPerAddress: {
    value: 10_000,
    unit: 'ids',
    description: 'delivered message ids kept for all senders behind one address (a class of thirty fits)',
  },
  idsTtlMs: { value: 10 * MINUTE, unit: 'ms', description: 'how long a delivered message id is kept' },
  idsTotal: {
    value: 100_000,
    unit: 'ids',
    description: 'delivered message ids kept in all; past it the address holding the most gives way',
  },
  idsAllClasses: { value: 200_000, unit: 'ids', description: 'message ids kept by all classes together' },
  // ---- presence ----
  presenceFlushMs: { value: 250, unit: 'ms', description: 'presence is sent in batches at most this often …' },
  presencePerPeerMs: { value: 0.5, unit: 'ms', description: '… plus this much for every client online' },
  presenceMaxNames: {
    value: 50,
    unit: 'names',
    description: 'names one presence batch may carry; a larger change says only that the list changed',
  },
  welcomeNames: { value: 200, unit: 'names', description: 'names listed in the welcome and in a page of who' },
  // ---- resuming a registration ----
  resumeKeepMs: {
    value: 3 * MINUTE,
    unit: 'ms',
    description: 'how long a message is kept for a resume, and a registration after its client left',
  },
  resumeMessages: { value: 200, unit: 'messages', description: 'messages kept per registration' },
  resumeBytes: { value: 256 * KIB, unit: 'bytes', description: 'bytes of messages kept per registration' },
  resumeTotalBytes: {
    value: 32 * MIB,
    unit: 'bytes',
    description: 'bytes of messages kept for all registrations together (oldest go first)',
  },
  resumeAllClassesBytes: {
    value: 64 * MIB,
    unit: 'bytes',
    description: 'bytes of messages kept for resumes by all classes together; past it the class keeping most gives way',
  },
  resumeOfflinePerAddress: {
    value: 64,
    unit: 'registrations',
    description: 'registrations of departed clients past their hold kept per remote address (held ones never go)',
  },
  resumeOfflineTotal: {
    value: 20_000,
    unit: 'registrations',
    description: 'registrations of departed clients kept in all; while all of them are held, new ones wait',
  },
  resumeOfflineAllClasses: {
    value: 40_000,
    unit: 'registrations',
    description: 'registrations of departed clients kept by all classes together (held ones never go)',
  },
  replayRetryMs: {
    value: 50,
    unit: 'ms',
    description: "how often a resumed client's output is looked at again while what it missed waits for room",
  },
  resumeHoldMs: {
    value: 1 * MINUTE,
    unit: 'ms',
    description: 'how long the name of a client that left without goodbye stays held for its resume token',
  },
  // ---- the classroom ----
  rosterMs: { value: 1 * SECOND, unit: 'ms', description: 'teachers get the roster at most this often' },
  keyFailures: {
    value: 5,
    unit: 'attempts',
    description: 'wrong teacher keys from one address within the window that lock it out (the last of them locks)',
  },
  keyFailuresInAll: {
    value: 300,
    unit: 'attempts',
    description: 'wrong teacher keys from all addresses together within the window that lock out every address',
  },
  keyFailureWindowMs: { value: 1 * MINUTE, unit: 'ms', description: 'the window of wrong teacher keys' },
  keyLockoutMs: {
    value: 1 * MINUTE,
    unit: 'ms',
    description: 'how long a locked-out address (or every address) gets no teacher key checked',
  },
  keyFailureAddresses: {
    value: 1024,
    unit: 'addresses',
    description: 'addresses whose wrong teacher keys are counted at once short of a lockout (the oldest are forgotten)',
  },
  departedStanding: {
    value: 1000,
    unit: 'names',
    description: 'names that left while their hand was up or their mute lasted, whose standing is kept',
  },
  stateWriteMs: {
    value: 500,
    unit: 'ms',
    description: "the lesson's changes are written to the state folder at most this often (and when the relay stops)",
  },
  lessonStateMs: {
    value: 12 * 60 * MINUTE,
    unit: 'ms',
    description: 'a kept lesson older than this is not restored at a start: a new lesson begins (the key is kept)',
  },
  // ---- classes on one relay ----
  maxClasses: {
    value: 200,
    unit: 'classes',
    flag: { name: 'max-classes', takes: 'count' },
    description: 'classes the relay keeps beside its default class, in all',
  },
  maxClassesPerAddress: {
    value: 5,
    unit: 'classes',
    flag: { name: 'max-classes-per-address', takes: 'count' },
    description: 'classes made from one address while creation is open (the admin key is not bounded by it)',
  },
  classIdleMs: {
    value: 60 * DAY,
    unit: 'ms',
    flag: { name: 'class-idle-days', takes: 'days' },
    description: 'a class nobody joined for this long ends, and its code no longer works',
  },
  maxConnectionsPerClass: {
    value: 128,
    unit: 'connections',
    flag: { name: 'max-per-class', takes: 'count' },
    description: 'members of one class at once (not of the default class, which the relay-wide bounds bound)',
  },
  // ---- the course dialect ----
  coursePauseMs: {
    value: 40,
    unit: 'ms',
    description: "quiet time after which a course client's unterminated bytes are one message",
  },
  courseWriteGapMs: {
    value: 50,
    unit: 'ms',
    description: 'gap between two writes to a course client that frames by pauses, so each arrives alone',
  },
  courseCharacterWaitMs: {
    value: 1 * SECOND,
    unit: 'ms',
    description: 'how long a course message may wait for the rest of a split UTF-8 character',
  },
} as const satisfies Record<string, RelayDefault>;

export type DefaultName = keyof typeof RELAY_DEFAULTS;
