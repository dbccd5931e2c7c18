/** The `classroom-relay` command: picks the subcommand, prints help, and turns errors into exit codes. */
import { errorDetail } from '../protocol/errorText';
import { chat, CHAT_HELP } from './chat';
import { CLASS_HELP, classCommand } from './classes';
import { EXIT, UsageError } from './common';
import { outliveClosedReaders } from './closedPipes';
import { roster, ROSTER_HELP } from './roster';
import { send, SEND_HELP } from './send';
import { serve, SERVE_HELP } from './serve';

const VERSION = __VERSION__;

const HELP = `Usage: classroom-relay <command> [options]

Commands:
  serve   run the relay (port 12345 by default); prints the teacher key
  send    send one message (a teacher: also to everyone) and report whether it
          was delivered
  chat    chat interactively from the terminal
  roster  print the class roster once (teachers)
  class   make a class on a relay (create), or list and end its classes (list,
          end; with the admin key)

A teacher gives "send", "chat" and "roster" the teacher key with --teacher-key KEY or
in the environment variable RELAY_TEACHER_KEY. They join a class of the relay with
--server HOST:PORT/CODE, the address "classroom-relay class create" printed; without
/CODE, the relay's default class.

Run "classroom-relay <command> --help" for a command's options.`;

const helps: Record<string, string> = {
  serve: SERVE_HELP,
  send: SEND_HELP,
  chat: CHAT_HELP,
  roster: ROSTER_HELP,
  class: CLASS_HELP,
};

async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        outliveClosedReaders(process.stdout, process.stderr);
        return await serve(rest, out, err);
      case 'send':
        return await send(rest, out, err);
      case 'chat':
        return await chat(rest, out, err);
      case 'roster':
        return await roster(rest, out, err);
      case 'class':
        return await classCommand(rest, out, err);
      case '--version':
      case '-v':
        out(VERSION);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out(rest[0] && helps[rest[0]] ? helps[rest[0]]! : HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`classroom-relay: ${error.message}`);
      err(`Run "classroom-relay ${command && helps[command] ? `${command} ` : ''}--help" for usage.`);
      return EXIT.usage;
    }
    err(`classroom-relay: unexpected error: ${errorDetail(error)}`);
    return EXIT.failure;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
