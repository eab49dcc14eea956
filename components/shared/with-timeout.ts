/**
 * A promise given a limit: the elements wait on answers they do not control (a page's
 * `crec-refresh-url` answer, the browser's storage), and none may leave a user waiting for good.
 */

/** The answer did not come in time (its message says how long was waited). */
export class TimeoutError extends Error {}

/** `promise`'s outcome, or a {@link TimeoutError} once `ms` have passed without one. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
