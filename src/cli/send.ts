import { openSession } from '../client/connect';
import { RelayError } from '../client/types';
import { formatServerAddress } from '../protocol/address';
import { escapeControls } from '../protocol/sanitize';
import { EXIT_HELP, exitForOpenError, exitForSend } from './exitCodes';
import { CLIENT_NAME, clientOptions, dialectOf, fingerprintOf, parse, requireServer, requireText, UsageError } from './common';
import { describeSend, tlsAdvice } from './words';

export const SEND_HELP = `Usage: classroom-relay send --server HOST:PORT --name NAME --to PEER [--dialect D]
                           [--fingerprint SHA256] TEXT...

Connects, registers NAME, sends TEXT to PEER and exits once it knows how the message fared.

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out)
  -n, --name NAME          the name to register
  -t, --to PEER            the recipient's name (an IP address on a course-lan server)
  -d, --dialect D          auto (default), relay, course or course-lan
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
      --timeout SECONDS    how long to wait for the connection and for the
                           acknowledgement (default 10)
  -h, --help               show this help

${EXIT_HELP}`;

export async function send(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(args, { ...clientOptions, to: { type: 'string', short: 't' }, timeout: { type: 'string', default: '10' } }, true);
  if (values.help) {
    out(SEND_HELP);
    return 0;
  }
  const server = requireServer(values.server);
  const fingerprint = fingerprintOf(values.fingerprint, server);
  const dialect = dialectOf(values.dialect);
  const name = dialect === 'course-lan' ? values.name ?? '' : requireText(values.name, '--name NAME');
  const to = requireText(values.to, '--to PEER');
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);
  const text = positionals.join(' ');
  if (text === '') throw new UsageError('the message TEXT is missing');

  let session;
  try {
    session = await openSession({ ...server, fingerprint, name, dialect, client: CLIENT_NAME, connectTimeoutMs: timeoutMs, framed: { welcomeTimeoutMs: timeoutMs, ackTimeoutMs: timeoutMs } });
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    err(`classroom-relay: ${escapeControls(error.message)} (${formatServerAddress(server)})`);
    const advice = tlsAdvice(error);
    if (advice) err(advice);
    return exitForOpenError(error.code);
  }
  try {
    const result = await session.send(to, text);
    const line = describeSend(result, to);
    if (result.status === 'delivered' || result.status === 'sent') out(line);
    else err(`classroom-relay: ${line}`);
    return exitForSend(result);
  } finally {
    session.close();
  }
}
