import { networkInterfaces } from 'node:os';
import { RelayServer } from '../server';
import { DEFAULT_PORT } from '../protocol/limits';
import { parse, UsageError } from './common';

export const SERVE_HELP = `Usage: classroom-relay serve [--host HOST] [--port PORT]

Runs the relay: a drop-in for the course relay (the course's Python client and netcat work
unchanged) that also speaks the framed protocol of the Classroom Relay extension.

Options:
  --host HOST   address to listen on (default 0.0.0.0: all interfaces)
  --port PORT   port to listen on (default ${DEFAULT_PORT}, the course's port)
  -h, --help    show this help

Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`;

export async function serve(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parse(args, {
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', short: 'p', default: String(DEFAULT_PORT) },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(SERVE_HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const relay = new RelayServer({ host: values.host!, port, log: out });
  let address;
  try {
    address = await relay.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? `port ${port} is already in use (is another relay running?)`
      : code === 'EACCES' ? `no permission to listen on port ${port}`
      : code === 'EADDRNOTAVAIL' ? `${values.host} is not an address of this machine`
      : (error as Error).message;
    err(`classroom-relay: cannot listen on ${values.host}:${port}: ${reason}`);
    return 3;
  }
  out(`Classroom Relay is listening on port ${address.port}. Students connect to:`);
  for (const [where, host] of studentAddresses(values.host!)) out(`  ${host}:${address.port}`.padEnd(28) + `(${where})`);
  out('Stop with Ctrl+C.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void relay.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

function studentAddresses(bound: string): Array<[string, string]> {
  if (bound !== '0.0.0.0' && bound !== '::') return [['this address', bound]];
  const found: Array<[string, string]> = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) found.push([name, address.address]);
    }
  }
  found.push(['this machine only', '127.0.0.1']);
  return found;
}
