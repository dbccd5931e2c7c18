/**
 * Output written while the relay handles one turn of the event loop (every read that arrived
 * together, every timer that fired) leaves in one socket write per connection, once the turn is
 * over: a system call per frame was most of the relay's work per message. The turn's writes are
 * flushed in the check phase that follows it, before the loop waits again, so nothing waits for
 * a later turn.
 */

/** A connection's output with bytes waiting for the end of the turn. */
export interface Flushable {
  flush(): void;
}

const waiting: Flushable[] = [];
let scheduled = false;

/** `output` has bytes for this turn; its `flush` is called once the turn's work is done. */
export function flushAfterTurn(output: Flushable): void {
  waiting.push(output);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  // A flush may add outputs (a write that fails closes a connection, which may write to others): they go too.
  for (let index = 0; index < waiting.length; index++) waiting[index]!.flush();
  waiting.length = 0;
  scheduled = false;
}
