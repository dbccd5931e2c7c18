/** `classroom-relay roster`: a teacher prints the class roster once. */
import type { RelaySession } from '../client/types';
import { formatServerAddress } from '../protocol/address';
import { escapeControls } from '../protocol/sanitize';
import type { Roster } from '../protocol/classroom';
import { formatRoster } from './classroomText';
import { CLIENT_NAME, EXIT, fingerprintOf, parse, requireServer, UsageError } from './common';
import { openOrReport } from './open';
import { clientTeacherKey, TEACHER_KEY_ENV } from './teacherKey';
import { randomChars } from '../server/classroom/teacherKey';

export const ROSTER_HELP = `Usage: classroom-relay roster --server HOST:PORT[/CODE] --teacher-key KEY [--name NAME]
                             [--fingerprint SHA256] [--timeout SECONDS]

Connects to the relay as a teacher, prints the class roster once and exits. The roster lists
every connected student, course clients too, with dialect, address, connected since (local
time), messages sent and received, whether muted, and a raised hand with its time and question
(cut to 40 characters); raised hands come first, the oldest first, then everyone by name. A
last line gives the totals. Teachers are not listed.

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out);
                           HOST:PORT/CODE joins the class of that code (as
                           "classroom-relay class create" printed it) instead of
                           the relay's default class; several addresses separated
                           by commas (A,B) are the nodes of one relay, and the
                           first that answers is used
      --teacher-key KEY    the teacher key "classroom-relay serve" printed (or was
                           given), or for a class the key "classroom-relay class
                           create" printed; required, here or in ${TEACHER_KEY_ENV}
  -n, --name NAME          the name to connect with for this moment (default
                           Roster-xxxx, with four random letters and digits); students
                           with a list of who is online see it come and go
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
      --timeout SECONDS    how long to wait for the connection and for the roster
                           (default 10)
  -h, --help               show this help

Environment:
  ${TEACHER_KEY_ENV}        the teacher key, when --teacher-key is not given (it keeps the
                           key out of the process list other users of the machine can read)

Exit codes:
  0  the roster was printed
  2  usage error (e.g. no teacher key)
  3  could not connect (refused, unreachable, unknown host, timeout, TLS), or no
     class of that CODE on the relay
  4  the teacher key was refused (or the name)
  6  no roster there: a course server, or a relay without teacher mode
  7  no roster in time, or the connection dropped`;

export async function roster(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values } = parse(args, {
    server: { type: 'string', short: 's' },
    name: { type: 'string', short: 'n' },
    fingerprint: { type: 'string' },
    'teacher-key': { type: 'string' },
    timeout: { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(ROSTER_HELP);
    return EXIT.ok;
  }
  const server = requireServer(values.server);
  const fingerprint = fingerprintOf(values.fingerprint, server);
  const teacher = clientTeacherKey(values['teacher-key']);
  if (!teacher)
    throw new UsageError(`--teacher-key KEY (or ${TEACHER_KEY_ENV}) is required: only teachers see the roster`);
  if (values.name !== undefined && values.name.trim() === '') throw new UsageError('--name must not be empty');
  const name = values.name ?? `Roster-${randomChars(4)}`;
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);

  const session = await openOrReport(
    {
      ...server,
      fingerprint,
      name,
      dialect: 'auto',
      client: CLIENT_NAME,
      teacherKey: teacher.key,
      connectTimeoutMs: timeoutMs,
      framed: { welcomeTimeoutMs: timeoutMs, ackTimeoutMs: timeoutMs },
    },
    server,
    err,
    teacher.source,
  );
  if (typeof session === 'number') return session;
  const where = formatServerAddress(server);
  try {
    if (session.dialect !== 'relay') {
      err(
        `classroom-relay: ${where} is a course server: it has no teachers and no roster. The roster needs the Classroom Relay ("classroom-relay serve").`,
      );
      return EXIT.rejected;
    }
    if (session.role !== 'teacher') {
      err(
        `classroom-relay: the relay at ${where} did not make this connection a teacher: it has no teacher mode, so there is no roster. Update the relay.`,
      );
      return EXIT.rejected;
    }
    const first = await firstRoster(session, timeoutMs);
    if (typeof first === 'string') {
      err(`classroom-relay: ${first} (${where})`);
      return EXIT.noAnswer;
    }
    out(formatRoster(first));
    return EXIT.ok;
  } finally {
    session.close();
  }
}

/** The first roster the relay sends a teacher (it sends one on joining), or why none came. */
function firstRoster(session: RelaySession, timeoutMs: number): Promise<Roster | string> {
  return new Promise((resolve) => {
    const finish = (result: Roster | string) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(result);
    };
    const timer = setTimeout(() => finish('the relay sent no roster in time'), timeoutMs);
    const listener = session.onEvent((event) => {
      if (event.type === 'roster')
        finish({ entries: event.entries, total: event.total, handsLeftOut: event.handsLeftOut });
      else if (event.type === 'closed')
        finish(`the connection closed before the roster came: ${escapeControls(event.detail)}`);
    });
  });
}
