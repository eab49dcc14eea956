/**
 * How hard playback tries before the listener is told of a failure: one policy and one
 * bookkeeping of attempts, shared by the page's player and the extension's background. Whoever
 * plays the audio recovers; a player over an engine that recovers by itself
 * (`PlaybackEngine.recovers`) only shows what the engine gave up on, so a failure is retried once.
 */
import type { EngineErrorKind } from "./playback-engine.js";

/** How hard to try before telling the user. */
export interface RecoveryPolicy {
  /** Waits before each automatic retry of a network failure, in ms; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** How many times in a row to renew the signed URL. */
  maxRefreshes: number;
}

export const DEFAULT_RECOVERY: RecoveryPolicy = { retryDelaysMs: [1000, 3000], maxRefreshes: 1 };

/** Seconds of real progress after a (re)load that show a failure is over. */
export const PROGRESS_TO_FORGIVE = 1.5;

/** The attempts made since playback last made progress, and where that (re)load started. */
export interface RecoveryAttempts {
  retries: number;
  refreshes: number;
  /** Seconds into the recording where the last (re)load started. */
  from: number;
}

export type Recovery =
  | { action: "retry"; delayMs: number; attempt: number }
  | { action: "refresh" }
  | { action: "give-up" };

/** No attempts yet, for a load starting at `from` seconds. */
export function freshAttempts(from = 0): RecoveryAttempts {
  return { retries: 0, refreshes: 0, from };
}

/**
 * What to do about a failure, given the attempts already made since playback last made
 * progress. Network failures are retried from the same position; an expired or missing URL is
 * renewed (the server answers a recording the user may no longer play as missing, and renewing
 * is what tells the two apart); an undecodable file is reported at once, since trying again
 * cannot help.
 */
export function recoveryFor(kind: EngineErrorKind, attempts: Pick<RecoveryAttempts, "retries" | "refreshes">, policy: RecoveryPolicy = DEFAULT_RECOVERY): Recovery {
  switch (kind) {
    case "expired":
    case "not-found":
      return attempts.refreshes < policy.maxRefreshes ? { action: "refresh" } : { action: "give-up" };
    case "network":
    case "unknown": {
      const delayMs = policy.retryDelaysMs[attempts.retries];
      return delayMs === undefined ? { action: "give-up" } : { action: "retry", delayMs, attempt: attempts.retries + 1 };
    }
    default:
      return { action: "give-up" };
  }
}

/** The attempts once `plan` is under way. */
export function attempted(attempts: RecoveryAttempts, plan: Recovery): RecoveryAttempts {
  if (plan.action === "retry") return { ...attempts, retries: attempts.retries + 1 };
  if (plan.action === "refresh") return { ...attempts, refreshes: attempts.refreshes + 1 };
  return attempts;
}

/** Playing on past `position`: enough progress since the (re)load forgives the failures before it. */
export function progressed(attempts: RecoveryAttempts, position: number): RecoveryAttempts {
  if (attempts.retries === 0 && attempts.refreshes === 0) return attempts;
  return position - attempts.from >= PROGRESS_TO_FORGIVE ? freshAttempts(attempts.from) : attempts;
}
