/**
 * What every end-to-end file shares: one lab a file (opened before its first scenario, closed after its last), and
 * scenarios that each run in a world of their own within a time limit, leaving screenshots and logs when they fail.
 * Opt out with RELAY_E2E=skip.
 */
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { sleep } from '../helpers/relay/peers';
import { FIXTURES } from '../helpers/process/processes';
import { ROOT } from '../helpers/paths';
import { startGroup, type Started } from './processGroup';
import { Lab, type World } from './world';

const skip =
  process.env.RELAY_E2E === 'skip'
    ? 'RELAY_E2E=skip: the end-to-end suite in code-server was skipped on request'
    : false;

/**
 * A scenario's own limit; the runner's is a backstop, so that a stuck scenario still leaves evidence and stops what it
 * started.
 */
const SCENARIO_MS = 180_000;

/** Where the end-to-end run leaves pictures for the README (copied to docs/ by hand, see README "Development"). */
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

let lab: Lab | undefined;

before(
  async () => {
    if (!skip) lab = await Lab.open();
  },
  { timeout: 900_000 },
);

after(async () => {
  await lab?.close();
});

/** A scenario in a world of its own, which it stops when it ends; a failure leaves screenshots and logs behind. */
export function scenario(name: string, body: (world: World) => Promise<void>): void {
  test(name, { skip, timeout: SCENARIO_MS + 60_000 }, async (t) => {
    if (!lab) throw new Error('the end-to-end lab did not open; see the error of the "before" hook');
    const world = lab.world();
    try {
      await withinTime(body(world), SCENARIO_MS);
    } catch (error) {
      t.diagnostic(`screenshots and logs: ${await world.evidence(name)}`);
      throw error;
    } finally {
      await world.dispose();
    }
  });
}

async function withinTime(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One of the course's Python programs (re-created in test/fixtures), stopped with the world. */
export function python(world: World, name: string, script: string, args: Array<string | number>): Started {
  return world.track(name, startGroup('python3', ['-u', join(FIXTURES, script), ...args.map(String)], { input: true }));
}

export async function waitOutput(program: Started, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!program.output().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${JSON.stringify(text)}; output: ${program.output()}`);
    await sleep(100);
  }
}
