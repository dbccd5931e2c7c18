/** How the suite measures, as the report states it under its tables. */
import { CODECS } from './codecs';
import { ATTEMPTS, OTHERS_SHARE, PAUSE_US } from './disturbance';
import { count, duration, percent } from './format';
import { openClients, type Plan } from './plan';

export function methodNotes(plan: Plan): string[] {
  const { closed, open, broadcast, idle } = plan;
  const pause = CODECS['course-pause'];
  return [
    'Every server is started fresh for each workload (and each offered rate) on 127.0.0.1 on a free port, pinned to ' +
      'core 0; the load comes from one generator process (Node, bundled by esbuild) pinned to core 1, which opens ' +
      'all clients of a workload, stops by itself at a deadline and when the suite goes away. Where the machine allows ' +
      '(`unshare -n`, as root), all of it runs in a network namespace of its own: the same kernel and cores, but the ' +
      "kernel's TCP counters then count the suite's connections only (the Network line above says which).",
    'Our relay runs as `classroom-relay serve --state none` with its connection, per-address, registration, ' +
      'unregistered-connection, message-rate and input-rate limits raised by flags, so that none of them refuses the load; ' +
      'every guarantee stays on (exactly-once ids, resume numbering, output accounting). ngircd runs with ' +
      '`MaxPenaltyTime = 0`, `MaxConnectionsIP = 0`, `MaxConnections = 0`, no DNS or ident look-ups. The course relay is ' +
      '`test/fixtures/course_server.py` as it is. The floor is a Node forwarder of length-prefixed records whose first ' +
      'bytes name the recipient: no parsing, no names, one write per record. Every socket of the generator and the ' +
      "floor sets TCP_NODELAY; ngircd and the course relay do not, so Nagle's algorithm holds some of their writes.",
    `Connecting: in every workload at most ${count(plan.registering)} clients are connecting or registering at once, ` +
      "and never more than the server's listen backlog as `ss` shows it (ngircd listens with a backlog of 10, Node " +
      'with 511, Python with 128): past it the kernel drops the SYNs of those that do not fit, and they try again ' +
      "after 1, 3, 7 s…, which would measure the backlog and not the server. A school's clients do not all connect in " +
      'the same instant either.',
    "CPU is the server process's utime+stime from /proc/PID/stat (all its threads) over the measured window, " +
      `divided by the messages delivered in it; /proc counts in clock ticks (10 ms), so windows are seconds long. The ` +
      "generator's own CPU is shown beside it: near 100 % of its core, the generator and not the server set the pace. " +
      "So is the CPU other processes took meanwhile on the server's core and on the generator's (each core's busy " +
      "time in /proc/stat less the server's or the generator's own): a server that gets a share of its core only " +
      'delivers that share, and waits that long on a latency.',
    `Closed loop: ${count(closed.clients)} clients, each keeping ${closed.inFlight} messages on their way to random peers ` +
      `(a seeded random choice), sending the next when one of its own is read by its recipient (not when the server ` +
      'acknowledges it: ngircd and the floor send no acknowledgement, and the loop is the same for all); ' +
      `${closed.warmupMs} ms of warm-up, then ${closed.windowMs} ms measured. The time from a message's write to its ` +
      "recipient's read (framed also to the sender's read of the relay's ack), for the messages written in the " +
      'window, shows what the loop waits on: with ' +
      'every place taken, the delivered rate is the messages in flight over that time. Pause mode allows one message ' +
      'in flight per client: the relay ends a pause-mode message when the client has been quiet for 40 ms and only then ' +
      'delivers it, so the next, written after that, is never joined to it.',
    `Open loop: ${count(open.clients)} clients send ${count(open.size)}-byte messages in turn at a fixed total rate, ` +
      'whatever the server does; each message carries the time it was written, and its latency is the time until the ' +
      "read that brought it to its recipient returned, on the generator's one clock. " +
      `${open.warmupMs} ms of warm-up, then ${open.windowMs} ms whose messages count. The generator writes on Node's ` +
      'timers (1 ms resolution), so messages due in the same millisecond go out together; "send lag" is how late it ' +
      'wrote against the schedule (high when it could not keep up), and is not in the latency, which starts at the ' +
      `write. Pause-mode clients each send every ${count(pause.paceMs)} ms (and never within ${count(pause.minGapMs)} ms ` +
      `of their last, even when the generator catches up), so more of them share the rate: ` +
      `${count(openClients(plan, 1000, pause.paceMs))} at 1,000 msg/s, ` +
      `${count(openClients(plan, 5000, pause.paceMs))} at 5,000 msg/s. The course client sends one message per input, ` +
      'seconds apart, and the relay ends a pause-mode message at a pause of 40 ms: two messages of a client are joined ' +
      `only if the relay gets no CPU for over ${count(pause.minGapMs - 40)} ms between them.`,
    `Broadcast: ${count(broadcast.recipients)} recipients and one teacher register (on IRC all join one channel), ` +
      `then the teacher sends ${broadcast.repeats} broadcasts, each once the last has reached everyone; the time is from ` +
      "the teacher's write to the last recipient's read. Framed: a `broadcast` frame from a client holding the teacher " +
      'key (a hint); IRC: a channel PRIVMSG; the floor: one record addressed to all. The course dialect has no broadcast.',
    `Idle connections: ${count(idle.clients)} clients connect and register (see Connecting; the table shows how many ` +
      "at once, the listen overflows and SYNs sent again meanwhile, and the server's CPU per registration). " +
      'Registered means: framed, the welcome; IRC, 001; the floor, its welcome record; the course dialect, which ' +
      'answers nothing to a name, a probe message the client sends itself arrives (line mode: the name and the probe in ' +
      'one write; pause mode and the course relay: the probe 1 s after the name, as the course client waits, so that ' +
      'the name arrives alone; such a client gives up its place among those registering once its name is written, so ' +
      'the second is counted about once, not once per place). ' +
      "Memory is the server's resident set (VmRSS): the lowest in the " +
      `${idle.settleMs / 1000} s the clients stay idle after the last registration, minus before the first ` +
      "connection, divided by the connections: what the process holds, not the kernel's socket buffers. The lowest, " +
      'because a Node process gives back what a burst of registrations left behind only after some idle seconds.',
    'Checks: every message body carries sender, recipient, its number on that sender→recipient pair, the time it was ' +
      'written, padding and a checksum; every message read is checked for content, sender, recipient, order and ' +
      'duplicates, and every message sent must arrive. For our relay, ngircd and the floor any fault fails the run ' +
      '(exit code 1); for the course relay the faults are counts: its reads are its messages, so messages sent close ' +
      'together are merged, cut at 1,024 bytes and misrouted.',
    `The kernel's TCP counters over each window (/proc/net/netstat, /proc/net/snmp): segments sent again ("TCP ` +
      'retransmits"; on a busy loopback most are tail loss probes, a segment sent again some 10 ms after an ' +
      'unanswered one, which its receiver already had: no stall), retransmission timeouts (a connection that waited ' +
      "200 ms or more), listen overflows, and loopback packets dropped at a CPU's full input queue " +
      '(/proc/net/softnet_stat, for the whole machine). A window with a timeout, an overflow or a drop, in which ' +
      `other processes took more than ${percent(OTHERS_SHARE)} of the server's or the generator's core, or in which ` +
      `the generator did not run at all for over ${duration(PAUSE_US)} (its timers that late: "generator paused at ` +
      'most"), a setup whose clients did not all register in time, and idle connections that did not all register, ' +
      `were dropped or overflowed the backlog, are measured again with a fresh server, up to ${ATTEMPTS} times in ` +
      'all, and the least disturbed attempt is kept (fewest stalls, then least taken by others); the checks of every ' +
      'attempt count.',
    'One run on a machine that may be shared: compare servers within one run, read the ratios rather than the bare ' +
      "times, and the generator's send lag, its CPU and the other processes' CPU beside the latencies (a busy " +
      'generator or core delays messages of every server alike).',
  ];
}
