/** Waits until `condition` holds, checking every few ms; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Gives something that must NOT happen (a paused player moving on, a script from the data
 * running, an error thrown late) `ms` to happen; assert right after. The one fixed wait a test
 * may keep: an absence has no event to wait for.
 */
export function nothingShouldHappenFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
