/** Calls to the engine that may fail for a moment, or hang while it is out of reach. */
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';

/** `work`, tried again a few times a moment apart before its failure counts. */
export async function retried<T>(work: () => Promise<T>, attempts = 6, pauseMs = 500): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Waits for `work` at most `ms`; whatever it does after that, nobody waits for. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([work.catch(() => undefined), late]);
  clearTimeout(timer);
}

export function isConflict(error: unknown): boolean {
  return /wrong last sequence|key exists/i.test(errorText(error));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const encoder = new TextEncoder();

/** What a node writes to the engine: JSON, as bytes (engineReads.ts reads it back). */
export function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Runs what another node's message asks for: a fault in it is logged and answered `otherwise`, never thrown. */
export function contained<T>(log: (text: string) => void, work: () => T, otherwise: T): T {
  try {
    return work();
  } catch (error) {
    log(`a request of another node failed here: ${errorText(error)}`);
    return otherwise;
  }
}

/**
 * A stream the first node makes; the others use it as it is (also one another version made, with
 * other settings). Nodes that start together make it together: the engine refuses some at first.
 */
export async function ensureStream(
  manager: JetStreamManager,
  config: Partial<StreamConfig> & Pick<StreamConfig, 'name'>,
): Promise<void> {
  await retried(() => manager.streams.add(config).catch(() => manager.streams.info(config.name)));
}
