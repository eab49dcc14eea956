/**
 * Issue 13, point 4: a two-channel recording's parties from the API to the player, and the
 * balance ↔ mix arithmetic the player and the extension share (src/player/channel-mix.ts).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCallPayload } from "../../src/calls/call-payload.js";
import { playerRecordingsOf } from "../../src/calls/call-labels.js";
import { balanceOfMix, mixOfBalance, sameMix, FULL_MIX } from "../../src/player/channel-mix.js";
import { parseSession } from "../../src/player/session-resume.js";
import { ShapeError } from "../../src/shape.js";

const call = (channels?: unknown) => ({
  id: "c-1",
  start: "2026-11-20T11:00:00Z",
  direction: "inbound",
  from: "+441632960003",
  to: "+441632960100",
  segments: [{ index: 0, start: "2026-11-20T11:00:00Z", end: "2026-11-20T11:00:06Z", user: { id: "alice", name: "Alice Jones" } }],
  recordings: [
    { id: "r1", segment: 0, start: "2026-11-20T11:00:00Z", durationSeconds: 6, audioUrl: "https://reports.example/a", ...(channels !== undefined ? { channels } : {}) },
  ],
});

describe("two-channel recordings: the payload", () => {
  test("two named channels reach the player's recording, left then right, as their labels", () => {
    const details = parseCallPayload(call([{ party: "agent", name: "Alice Jones", label: "Agent: Alice Jones" }, { party: "caller", name: "+441632960003", label: "Caller: +441632960003" }]));
    assert.deepEqual(details.recordings[0]!.channels, [{ label: "Agent: Alice Jones" }, { label: "Caller: +441632960003" }]);
    assert.deepEqual(playerRecordingsOf(details)[0]!.channels, ["Agent: Alice Jones", "Caller: +441632960003"]);
  });

  test("absent, or any count but two, the recording has no channels; a malformed one is refused", () => {
    assert.equal(Object.hasOwn(parseCallPayload(call()).recordings[0]!, "channels"), false);
    assert.equal(Object.hasOwn(parseCallPayload(call([{ label: "Agent" }])).recordings[0]!, "channels"), false);
    assert.equal(Object.hasOwn(playerRecordingsOf(parseCallPayload(call()))[0]!, "channels"), false);
    assert.throws(() => parseCallPayload(call([{ label: "" }, { label: "Caller" }])), ShapeError);
    assert.throws(() => parseCallPayload(call("agent, caller")), ShapeError);
  });

  test("a saved session keeps its recordings' channels", () => {
    const session = parseSession({
      callId: "c-1",
      apiBase: null,
      callTitle: "Call",
      recordings: [{ id: "r1", src: "https://reports.example/a", title: "x", channels: ["Agent: A", "Caller: B"] }],
      index: 0,
      position: 0,
      playing: false,
      savedAt: 1,
    });
    assert.deepEqual(session?.recordings[0]!.channels, ["Agent: A", "Caller: B"]);
  });
});

describe("two-channel recordings: balance and mix", () => {
  test("the ends are one party alone, the middle both at full level", () => {
    assert.deepEqual(mixOfBalance(-1), { left: 1, right: 0 });
    assert.deepEqual(mixOfBalance(0), { left: 1, right: 1 });
    assert.deepEqual(mixOfBalance(1), { left: 0, right: 1 });
    assert.deepEqual(mixOfBalance(0.3), { left: 0.7, right: 1 });
    assert.deepEqual(mixOfBalance(-0.25), { left: 1, right: 0.75 });
    assert.deepEqual(mixOfBalance(7), { left: 0, right: 1 });
    assert.deepEqual(mixOfBalance(Number.NaN), { left: 1, right: 1 });
  });

  test("a mix's balance is the balance it came from", () => {
    for (const b of [-1, -0.6, -0.1, 0, 0.2, 0.9, 1]) assert.equal(balanceOfMix(mixOfBalance(b)), b);
    assert.equal(balanceOfMix(undefined), 0);
    assert.equal(balanceOfMix({ left: 0, right: 0 }), 0);
    assert.ok(sameMix(undefined, FULL_MIX));
    assert.ok(!sameMix({ left: 1, right: 0 }, FULL_MIX));
  });
});
