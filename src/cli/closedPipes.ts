/**
 * A relay outlives whoever reads its log: when the reader of its output goes away (`serve | head -1`,
 * a log shipper restarted), the lines written after that are lost, and the relay goes on serving.
 */

/** Errors of writing to a reader that is gone: the pipe's other end closed, or the stream ended after it did. */
const READER_GONE: ReadonlySet<string> = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** Keeps `streams` (the process's stdout and stderr) from ending the process when their reader closed. */
export function outliveClosedReaders(...streams: NodeJS.WriteStream[]): void {
  for (const stream of streams)
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!READER_GONE.has(error.code ?? '')) throw error;
    });
}
