import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { memorySessionStore, parseSession, resumePlan, RESTORE_WITHIN_MS, RESUME_PLAYING_WITHIN_MS, type PlayingSession } from "../../src/player/session-resume.js";

const NOW = 1_800_000_000_000;
const session = (change: Partial<PlayingSession> = {}): PlayingSession => ({
  callId: "c-transfer",
  apiBase: "http://127.0.0.1:8787/api/",
  callTitle: "Inbound call",
  recordings: [
    { id: "r1", src: "http://x/r1", title: "Segment 2", durationSeconds: 90 },
    { id: "r2", src: "http://x/r2", title: "Segment 3", durationSeconds: 120 },
  ],
  index: 1,
  position: 754,
  playing: true,
  savedAt: NOW - 3000,
  ...change,
});

describe("resuming what was playing on the next page", () => {
  test("a page left while playing a moment ago plays on at the same point", () => {
    assert.deepEqual(resumePlan(session(), NOW), { action: "play", index: 1, position: 754 });
  });

  test("an older or paused session comes back paused; a stale one, or nothing, is forgotten", () => {
    assert.deepEqual(resumePlan(session({ savedAt: NOW - RESUME_PLAYING_WITHIN_MS - 1 }), NOW), { action: "restore", index: 1, position: 754 });
    assert.deepEqual(resumePlan(session({ playing: false }), NOW), { action: "restore", index: 1, position: 754 });
    assert.equal(resumePlan(session({ savedAt: NOW - RESTORE_WITHIN_MS - 1 }), NOW), null);
    assert.equal(resumePlan(session({ savedAt: NOW + 3600_000 }), NOW), null);
    assert.equal(resumePlan(null, NOW), null);
  });

  test("what is read back is checked: another shape counts as nothing saved", () => {
    assert.deepEqual(parseSession(session()), session());
    assert.equal(parseSession({ ...session(), index: 2 }), null);
    assert.equal(parseSession({ ...session(), recordings: [] }), null);
    assert.equal(parseSession({ ...session(), position: "12:34" }), null);
    assert.equal(parseSession({ ...session(), extra: 1 }), null);
    assert.equal(parseSession("playing"), null);
  });

  test("the memory store keeps one session and only what the shape allows", async () => {
    const store = memorySessionStore();
    assert.equal(await store.load(), null);
    const noisy = { ...session(), recordings: [{ ...session().recordings[0]!, durationSeconds: Number.NaN, secret: "x" }] } as unknown as PlayingSession;
    await store.save({ ...noisy, index: 0 });
    const back = await store.load();
    assert.deepEqual(back?.recordings, [{ id: "r1", src: "http://x/r1", title: "Segment 2" }]);
    await store.clear();
    assert.equal(await store.load(), null);
  });
});
