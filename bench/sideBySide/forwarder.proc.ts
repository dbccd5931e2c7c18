/**
 * The floor: the least a relay must do. Records carry their recipient's index and their length
 * in the first four bytes; the forwarder reads those and writes the record, unchanged, to that
 * client (0xFFFF: to all others). A client's first record names its index (0xFFFE) and is echoed
 * as its welcome. No parsing, no names, no bookkeeping. A fault can be asked for, so the suite's
 * checks can be seen to fail: `drop` loses one record, `corrupt` changes one byte of one.
 * Usage: node forwarder.proc.js PORT [none|drop|corrupt]
 */
import { createServer, type Socket } from 'node:net';

const HELLO = 0xfffe;
const ALL = 0xffff;
/** The forwarded record a fault hits: well inside any run. */
const FAULT_AT = 1000;

const port = Number(process.argv[2]);
const fault = process.argv[3] ?? 'none';
const clients: Array<Socket | undefined> = [];
let forwarded = 0;

function forward(to: number, record: Buffer): void {
  forwarded++;
  if (forwarded === FAULT_AT && fault === 'drop') return;
  if (forwarded === FAULT_AT && fault === 'corrupt') {
    record = Buffer.from(record);
    record[record.length - 1] = record[record.length - 1]! ^ 0x01;
  }
  clients[to]?.write(record);
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let index = -1;
  let pending: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const data = pending ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    while (data.length - offset >= 4) {
      const end = offset + 4 + data.readUInt16BE(offset + 2);
      if (end > data.length) break;
      const to = data.readUInt16BE(offset);
      const record = data.subarray(offset, end);
      if (to === HELLO) {
        index = Number(data.toString('latin1', offset + 4, end));
        clients[index] = socket;
        socket.write(record);
      } else if (to === ALL) {
        for (let other = 0; other < clients.length; other++) if (other !== index) forward(other, record);
      } else forward(to, record);
      offset = end;
    }
    pending = offset < data.length ? data.subarray(offset) : undefined;
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    if (index >= 0 && clients[index] === socket) clients[index] = undefined;
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
