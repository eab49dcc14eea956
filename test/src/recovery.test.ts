/**
 * The recovery bookkeeping both the page's player and the extension's background use, and what
 * an engine says it takes over from the player.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { emptyEngineState, EVERYTHING_TAKEN_OVER, takenOver, type PlaybackEngine } from "../../src/player/playback-engine.js";
import { attempted, freshAttempts, progressed, PROGRESS_TO_FORGIVE, recoveryFor } from "../../src/player/recovery.js";

describe("recovery attempts", () => {
  const policy = { retryDelaysMs: [100, 300], maxRefreshes: 1 };

  it("counts each retry and renewal until the policy gives up", () => {
    let attempts = freshAttempts(40);
    for (const expected of [{ action: "retry", delayMs: 100, attempt: 1 }, { action: "retry", delayMs: 300, attempt: 2 }, { action: "give-up" }]) {
      const plan = recoveryFor("network", attempts, policy);
      assert.deepEqual(plan, expected);
      attempts = attempted(attempts, plan);
    }
    assert.deepEqual(attempts, { retries: 2, refreshes: 0, from: 40 });
    const renew = recoveryFor("expired", attempts, policy);
    assert.deepEqual(renew, { action: "refresh" });
    assert.deepEqual(recoveryFor("expired", attempted(attempts, renew), policy), { action: "give-up" });
  });

  it("forgives earlier failures once playback has really moved on from where it was reloaded", () => {
    const failing = attempted(freshAttempts(40), { action: "retry", delayMs: 100, attempt: 1 });
    assert.equal(progressed(failing, 40 + PROGRESS_TO_FORGIVE / 2), failing);
    assert.deepEqual(progressed(failing, 40 + PROGRESS_TO_FORGIVE), freshAttempts(40));
  });
});

describe("what an engine takes over", () => {
  const engine = (extra: Partial<PlaybackEngine>): PlaybackEngine =>
    ({ state: emptyEngineState(), load() {}, unload() {}, play: async () => {}, pause() {}, seek() {}, setVolume() {}, setMuted() {}, setPlaybackRate() {}, subscribe: () => () => {}, dispose() {}, ...extra }) as PlaybackEngine;

  it("the page's own engine keeps nothing; one that says, what it says", () => {
    assert.deepEqual(takenOver(engine({})), { lifetime: false, settings: false, position: false, session: false, onePlayer: false });
    assert.deepEqual(takenOver(engine({ takesOver: EVERYTHING_TAKEN_OVER })), { lifetime: true, settings: true, position: true, session: true, onePlayer: true });
    const some = { lifetime: true, settings: false, position: false, session: false, onePlayer: true };
    assert.deepEqual(takenOver(engine({ takesOver: some })), some);
    assert.deepEqual(takenOver(null).settings, false);
  });
});
