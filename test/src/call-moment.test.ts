/** Links to a moment (issue 16): reading `t`, finding the recording and point, writing the link. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { momentUrl, parseMomentSeconds, resolveMoment, withoutMoment } from "../../src/calls/call-moment.js";

const CALL = [
  { id: "r-1", durationSeconds: 60 },
  { id: "r-2", durationSeconds: 120 },
];

describe("links to a moment", () => {
  test("t is seconds or a clock, up to a day", () => {
    assert.deepEqual(parseMomentSeconds("90"), { seconds: 90 });
    assert.deepEqual(parseMomentSeconds("90.5"), { seconds: 90.5 });
    assert.deepEqual(parseMomentSeconds("1:30"), { seconds: 90 });
    assert.deepEqual(parseMomentSeconds("1:02:03"), { seconds: 3723 });
    for (const bad of ["", "-5", "abc", "1e3", "NaN", "Infinity", "1:75", "0x10", "99999999"]) {
      assert.ok("problem" in parseMomentSeconds(bad), `"${bad}" is refused`);
    }
  });

  test("with a recording, t is seconds into it; without, a point on the recordings end to end", () => {
    assert.deepEqual(resolveMoment(CALL, "r-2", 90), { index: 1, at: 90, warnings: [] });
    assert.deepEqual(resolveMoment(CALL, null, 90), { index: 1, at: 30, warnings: [] });
    assert.deepEqual(resolveMoment(CALL, null, 30), { index: 0, at: 30, warnings: [] });
  });

  test("an unknown recording is refused; a time past the end or not a time starts from the start", () => {
    assert.ok("problem" in resolveMoment(CALL, "r-9", 10));
    assert.ok("problem" in resolveMoment([], null, 10));
    const past = resolveMoment(CALL, "r-1", 61);
    assert.ok(!("problem" in past) && past.at === 0 && past.warnings.length === 1);
    const negative = resolveMoment(CALL, "r-2", -4);
    assert.ok(!("problem" in negative) && negative.index === 1 && negative.at === 0 && negative.warnings.length === 1);
    const nan = resolveMoment(CALL, null, Number.NaN);
    assert.ok(!("problem" in nan) && nan.index === 0 && nan.at === 0 && nan.warnings.length === 1);
    const beyond = resolveMoment(CALL, null, 500);
    assert.ok(!("problem" in beyond) && beyond.index === 0 && beyond.at === 0);
  });

  test("the link keeps the page and its call, and replaces the moment", () => {
    assert.equal(
      momentUrl("https://pbx.example/reports/call-session?call=c%201&recording=old&t=5#x", "r-2", 90.9),
      "https://pbx.example/reports/call-session?call=c+1&recording=r-2&t=90",
    );
    assert.equal(momentUrl("https://pbx.example/embed-demo?call=c-1", null, 12), "https://pbx.example/embed-demo?call=c-1&t=12");
    assert.equal(momentUrl("not a url", "r", 1), null);
    assert.equal(withoutMoment("https://pbx.example/reports/call-session?call=c-1&recording=r&t=9#frag"), "https://pbx.example/reports/call-session?call=c-1");
    // Untouched when it has no moment: the page's own encoding stays.
    assert.equal(withoutMoment("https://pbx.example/a?call=c%201"), "https://pbx.example/a?call=c%201");
  });
});
