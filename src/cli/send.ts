/** `classroom-relay send`: one message (or a teacher's hint), and an exit code for how it fared. */
import { EXIT_HELP, exitForSend } from './exitCodes';
import { CLIENT_NAME, clientOptions, clientTarget, parse, requireText, UsageError } from './common';
import { openOrReport } from './open';
import { clientTeacherKey, TEACHER_KEY_ENV } from './teacherKey';
import { describeSend } from './words';

export const SEND_HELP = `Usage: classroom-relay send --server HOST:PORT[/CODE] --name NAME (--to PEER | --all)
                           [--dialect D] [--teacher-key KEY] [--fingerprint SHA256] TEXT...

Connects, registers NAME, sends TEXT to PEER (or, for a teacher, to everyone) and exits once
it knows how the message fared.

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out);
                           HOST:PORT/CODE joins the class of that code (as
                           "classroom-relay class create" printed it) instead of
                           the relay's default class; several addresses separated
                           by commas (A,B) are the nodes of one relay, and the
                           first that answers is used
  -n, --name NAME          the name to register
  -t, --to PEER            the recipient's name (an IP address on a course-lan server)
  -a, --all                send TEXT to everyone as a teacher's hint: our relay only,
                           and only with the teacher key (a student's is rejected, exit 6);
                           students who join later get it too
      --teacher-key KEY    connect as a teacher, with the key "classroom-relay serve"
                           printed (or was given), or for a class the key
                           "classroom-relay class create" printed; a wrong key exits 4
  -d, --dialect D          auto (default), relay, course or course-lan
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
      --timeout SECONDS    how long to wait for the connection and for the
                           acknowledgement (default 10)
  -h, --help               show this help

Environment:
  ${TEACHER_KEY_ENV}        the teacher key, when --teacher-key is not given (it keeps the
                           key out of the process list other users of the machine can read)

${EXIT_HELP}`;

export async function send(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...clientOptions,
      to: { type: 'string', short: 't' },
      all: { type: 'boolean', short: 'a' },
      timeout: { type: 'string', default: '10' },
    },
    true,
  );
  if (values.help) {
    out(SEND_HELP);
    return 0;
  }
  const { server, fingerprint, dialect, name } = clientTarget(values);
  if (values.all && values.to !== undefined)
    throw new UsageError('--to PEER and --all exclude each other: send to one peer or to everyone');
  const to = values.all ? undefined : requireText(values.to, '--to PEER or --all');
  const teacher = clientTeacherKey(values['teacher-key']);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);
  const text = positionals.join(' ');
  if (text === '') throw new UsageError('the message TEXT is missing');

  const session = await openOrReport(
    {
      ...server,
      fingerprint,
      name,
      dialect,
      client: CLIENT_NAME,
      teacherKey: teacher?.key,
      connectTimeoutMs: timeoutMs,
      framed: { welcomeTimeoutMs: timeoutMs, ackTimeoutMs: timeoutMs },
    },
    server,
    err,
    teacher?.source,
  );
  if (typeof session === 'number') return session;
  try {
    const result = to === undefined ? await session.broadcast(text) : await session.send(to, text);
    const line =
      to === undefined && result.status === 'delivered'
        ? `delivered to everyone: ${result.recipients ?? 'all'} peer(s) now; the relay keeps the hint for those who join later`
        : describeSend(result, to ?? 'everyone');
    if (result.status === 'delivered' || result.status === 'sent') out(line);
    else err(`classroom-relay: ${line}`);
    return exitForSend(result);
  } finally {
    session.close();
  }
}
