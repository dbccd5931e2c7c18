/** How the suite measures, as the report states it under its tables. */
import { count } from './format';
import type { Plan } from './plan';

export function methodNotes(plan: Plan): string[] {
  const { closed, open, broadcast, idle } = plan;
  return [
    'Every server is started fresh for each workload (and each offered rate) on 127.0.0.1 on a free port, pinned to ' +
      'core 0; the load comes from one generator process (Node, bundled by esbuild) pinned to core 1, which opens ' +
      'all clients of a workload, stops by itself at a deadline and when the suite goes away.',
    'Our relay runs as `classroom-relay serve --state none` with its connection, per-address, registration, ' +
      'unregistered-connection, message-rate and input-rate limits raised by flags, so that none of them refuses the load; ' +
      'every guarantee stays on (exactly-once ids, resume numbering, output accounting). ngircd runs with ' +
      '`MaxPenaltyTime = 0`, `MaxConnectionsIP = 0`, `MaxConnections = 0`, no DNS or ident look-ups. The course relay is ' +
      '`test/fixtures/course_server.py` as it is. The floor is a Node forwarder of length-prefixed records whose first ' +
      'bytes name the recipient: no parsing, no names, one write per record.',
    "CPU is the server process's utime+stime from /proc/PID/stat (all its threads) over the measured window, " +
      `divided by the messages delivered in it; /proc counts in clock ticks (10 ms), so windows are seconds long. The ` +
      "generator's own CPU is shown beside it: near 100 % of its core, the generator and not the server set the pace.",
    `Closed loop: ${count(closed.clients)} clients, each keeping ${closed.inFlight} messages on their way to random peers ` +
      `(a seeded random choice), sending the next when one of its own is read by its recipient; ${closed.warmupMs} ms ` +
      `of warm-up, then ${closed.windowMs} ms measured. Pause mode allows one message in flight per client: the relay ` +
      'ends a pause-mode message when the client has been quiet for 40 ms, so a second one sent before would be joined ' +
      'to the first (the course client itself waits 0.1 s after every message).',
    `Open loop: ${count(open.clients)} clients send ${count(open.size)}-byte messages in turn at a fixed total rate, ` +
      'whatever the server does; each message carries the time it was written, and its latency is the time until its ' +
      `recipient's read, on the generator's one clock. ${open.warmupMs} ms of warm-up, then ${open.windowMs} ms whose ` +
      'messages count. "send lag" is how late the generator wrote against the schedule: high when it could not keep up. ' +
      "Pause mode runs only rates at which every client leaves 100 ms between its messages (the course client's pace).",
    `Broadcast: ${count(broadcast.recipients)} recipients and one teacher register (on IRC all join one channel), ` +
      `then the teacher sends ${broadcast.repeats} broadcasts, each once the last has reached everyone; the time is from ` +
      "the teacher's write to the last recipient's read. Framed: a `broadcast` frame from a client holding the teacher " +
      'key (a hint); IRC: a channel PRIVMSG; the floor: one record addressed to all. The course dialect has no broadcast.',
    `Idle connections: ${count(idle.clients)} clients connect and register, at most ${count(plan.registering)} registering ` +
      'at once. Registered means: framed, the welcome; IRC, 001; the floor, its welcome record; the course dialect, which ' +
      'answers nothing to a name, a probe message the client sends itself arrives (line mode: the name and the probe in ' +
      'one write; pause mode and the course relay: the probe 1 s after the name, as the course client waits, so that ' +
      'the name arrives alone; such a client gives up its place among those registering once its name is written, so ' +
      'the second is counted about once, not once per place). ' +
      "Memory is the server's resident set (VmRSS) once it is steady after the last registration minus before the " +
      "first connection, divided by the connections: what the process holds, not the kernel's socket buffers.",
    'Checks: every message body carries sender, recipient, its number on that sender→recipient pair, the time it was ' +
      'written, padding and a checksum; every message read is checked for content, sender, recipient, order and ' +
      'duplicates, and every message sent must arrive. For our relay, ngircd and the floor any fault fails the run ' +
      '(exit code 1); for the course relay the faults are counts: its reads are its messages, so messages sent close ' +
      'together are merged, cut at 1,024 bytes and misrouted.',
    "Loopback packets that the kernel drops when a CPU's input queue is full (/proc/net/softnet_stat; other work on " +
      'the machine makes it likelier) stall a connection for a retransmission timeout of 200 ms or more: a window ' +
      'with such drops, or a setup whose clients did not all register in time, is measured again with a fresh server, ' +
      'up to three times in all, and the attempt with the fewest drops is kept (the "loopback drops" column); the checks of every attempt count.',
    'One run on a machine that may be shared: compare servers within one run, read the ratios rather than the bare ' +
      "times, and the generator's send lag and CPU beside the latencies (a busy generator or core delays messages of " +
      'every server alike). Pause mode frames by time: when the relay gets no CPU for more than 60 ms, two messages ' +
      'a client sent 100 ms apart are read together and joined, which the checks count as lost and corrupted.',
  ];
}
