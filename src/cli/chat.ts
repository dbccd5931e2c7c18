import { createInterface } from 'node:readline';
import { openSession } from '../client/connect';
import { RelayError, type RelaySession, type SessionEvent } from '../client/types';
import { formatServerAddress } from '../protocol/address';
import { parseAddressed } from '../protocol/course';
import { escapeControls, escapeControlsKeepLines } from '../protocol/sanitize';
import { exitForOpenError, EXIT } from './exitCodes';
import { CLIENT_NAME, clientOptions, dialectOf, fingerprintOf, parse, requireServer, requireText } from './common';
import { describeSend, tlsAdvice } from './words';

export const CHAT_HELP = `Usage: classroom-relay chat --server HOST:PORT --name NAME [--dialect D]
                           [--fingerprint SHA256]

An interactive chat on the terminal, a friendlier course client. Type
  Peer: text       to send text to Peer
  /all text        to send text to everyone (our relay only)
  /who             to list who is online (our relay only)
  /quit            to leave (or Ctrl+D)
Incoming messages are printed as they arrive.

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out)
  -n, --name NAME          the name to register
  -d, --dialect D          auto (default), relay, course or course-lan
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
  -h, --help               show this help`;

const time = (iso: string) => new Date(iso).toTimeString().slice(0, 5);

/**
 * What the terminal shows for an event. Network text is data: controls are escaped, and every
 * line of a message carries its sender, so no line can pass for someone else's.
 */
export function formatEvent(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return eachLine(`[${time(event.at)}] ${escapeControls(event.from)}: `, event.text);
    case 'broadcast':
      return eachLine(`[${time(event.at)}] ${escapeControls(event.from)} (to everyone): `, event.text);
    case 'snippet': {
      const { snippet } = event;
      const where = snippet.file ? ` ${snippet.file}${snippet.lines ? `:${snippet.lines.start}-${snippet.lines.end}` : ''}` : '';
      const header = `[${time(event.at)}] ${escapeControls(event.from)} sent ${escapeControls(snippet.language)} code${escapeControls(where)}:`;
      return `${header}\n${eachLine('  │ ', snippet.code)}`;
    }
    case 'presence':
      return [...event.joined.map((name) => `* ${escapeControls(name)} is online`), ...event.left.map((name) => `* ${escapeControls(name)} left`)].join('\n') || undefined;
    case 'notice':
      return eachLine('! ', event.text);
    case 'closed':
      return event.reason === 'local' ? undefined : `! connection closed: ${escapeControls(event.detail)}`;
  }
}

function eachLine(prefix: string, text: string): string {
  return escapeControlsKeepLines(text).split('\n').map((line) => prefix + line).join('\n');
}

export async function chat(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parse(args, clientOptions);
  if (values.help) {
    out(CHAT_HELP);
    return 0;
  }
  const server = requireServer(values.server);
  const fingerprint = fingerprintOf(values.fingerprint, server);
  const dialect = dialectOf(values.dialect);
  const name = dialect === 'course-lan' ? values.name ?? '' : requireText(values.name, '--name NAME');
  let session: RelaySession;
  try {
    session = await openSession({ ...server, fingerprint, name, dialect, client: CLIENT_NAME });
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    err(`classroom-relay: ${escapeControls(error.message)} (${formatServerAddress(server)})`);
    const advice = tlsAdvice(error);
    if (advice) err(advice);
    return exitForOpenError(error.code);
  }

  const interactive = Boolean(process.stdin.isTTY);
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: '> ' });
  const show = (line: string) => {
    if (interactive) process.stdout.write('\r\x1b[K');
    out(line);
    if (interactive) lines.prompt(true);
  };
  const listed = () => session.online.map(escapeControls).join(', ');
  const online = session.online.length > 0 ? ` Online: ${listed()}.` : '';
  show(`Connected to ${formatServerAddress(server)} as "${escapeControls(session.name)}" (${session.dialect}).${online} Type "Peer: text", /help or /quit.`);

  const inFlight = new Set<Promise<unknown>>();
  const closed = new Promise<number>((resolve) => {
    session.onEvent((event) => {
      const line = formatEvent(event);
      if (line) show(line);
      if (event.type === 'closed') resolve(event.reason === 'local' ? EXIT.ok : EXIT.noAnswer);
    });
  });

  const track = (to: string, pending: Promise<import('../client/types').SendResult>) => {
    const watched = pending.then((result) => {
      if (result.status !== 'delivered' && result.status !== 'sent') show(`! ${to}: ${describeSend(result, to)}`);
    });
    inFlight.add(watched);
    void watched.finally(() => inFlight.delete(watched));
  };

  lines.on('line', (input) => {
    const line = input.trim();
    if (line === '') return;
    if (line === '/quit') {
      lines.close();
      return;
    }
    if (line === '/help') show(CHAT_HELP.split('\n').slice(2, 7).join('\n'));
    else if (line === '/who') show(session.dialect === 'relay' ? `Online: ${listed() || 'nobody else'}${session.onlineTotal > session.online.length ? ` and ${session.onlineTotal - session.online.length} more` : ''}` : '! a course server cannot tell who is online');
    else if (line.startsWith('/all ')) track('everyone', session.broadcast(line.slice(5)));
    else {
      const addressed = parseAddressed(line);
      if (!addressed || addressed.to.trim() === '') show('! write "Peer: text", e.g. "Bob: Hallo"');
      else track(addressed.to.trim(), session.send(addressed.to.trim(), addressed.text.replace(/^ /, '')));
    }
    if (interactive) lines.prompt();
  });
  if (interactive) lines.prompt();

  const ended = new Promise<number>((resolve) => {
    lines.on('close', () => {
      // Standard input ended: let the messages already typed be confirmed before leaving.
      void (async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        session.close();
        resolve(EXIT.ok);
      })();
    });
  });
  const code = await Promise.race([closed, ended]);
  lines.close();
  return code;
}
