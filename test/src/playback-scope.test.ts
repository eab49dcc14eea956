import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PLAYBACK_SCOPES, type Call, type PlaybackScope, type Segment } from "../../src/rules/domain.js";
import { involvedUsers, mayPlayCall, scopeGroups, SCOPE_LABELS, type Viewer } from "../../src/rules/playback-scope.js";
import { planRecordings, type SettingsLookup } from "../../src/rules/recording-policy.js";

const devices: Record<string, { recording: "inherit"; user: string | null }> = {
  "ext-201": { recording: "inherit", user: "dana" },
  "ext-202": { recording: "inherit", user: "olly" },
  "ext-220": { recording: "inherit", user: null },
};
const lookup: SettingsLookup = {
  customer: "on",
  device: (id) => devices[id],
  user: () => ({ recording: "inherit" }),
};

/** Dana's primary group is sales; she is also a member of support. Billing is not hers. */
const dana = (playback: PlaybackScope, primaryGroup: string | null = "sales"): Viewer => ({
  id: "dana",
  playback,
  primaryGroup,
  memberGroups: ["support"],
});

const seg = (start: string, end: string, device: string | null, user: string | null = null): Segment => ({
  start: `2026-11-20T${start}Z`,
  end: `2026-11-20T${end}Z`,
  device,
  user,
});

const call = (groups: string[], segments: Segment[], conference = false): Pick<Call, "groups" | "segments" | "conference"> => ({
  groups,
  segments,
  conference,
});

const facts = (c: Pick<Call, "groups" | "segments">) => ({ involvedUsers: involvedUsers(c, lookup), groups: c.groups });

const CALLS = {
  "she was the segment's user": call([], [seg("09:00:00", "09:05:00", "ext-220", "dana")]),
  "was on her device": call([], [seg("09:00:00", "09:05:00", "ext-201")]),
  "she was not in": call([], [seg("09:00:00", "09:05:00", "ext-202")]),
  "is tagged with her primary group": call(["sales"], [seg("09:00:00", "09:05:00", "ext-202")]),
  "is tagged with a group she is only a member of": call(["support"], [seg("09:00:00", "09:05:00", "ext-202")]),
  "is tagged with another group": call(["billing"], [seg("09:00:00", "09:05:00", "ext-202")]),
};
type CallName = keyof typeof CALLS;

/** For each scope, the calls Dana may play; every other call she may not. */
const MAY_PLAY: Record<PlaybackScope, CallName[]> = {
  none: [],
  own: ["she was the segment's user", "was on her device"],
  "primary-group": ["she was the segment's user", "was on her device", "is tagged with her primary group"],
  "member-groups": [
    "she was the segment's user",
    "was on her device",
    "is tagged with her primary group",
    "is tagged with a group she is only a member of",
  ],
  all: Object.keys(CALLS) as CallName[],
};

describe("who may play back a call", () => {
  for (const scope of PLAYBACK_SCOPES) {
    for (const [name, c] of Object.entries(CALLS) as [CallName, (typeof CALLS)[CallName]][]) {
      const expected = MAY_PLAY[scope].includes(name);
      test(`a user with scope ${scope} ${expected ? "may" : "may not"} play a call that ${name}`, () => {
        assert.equal(mayPlayCall(dana(scope), facts(c)), expected);
      });
    }
  }

  for (const scope of PLAYBACK_SCOPES.filter((s) => s !== "none")) {
    test(`a user with scope ${scope} may always play their own calls, even with no primary group`, () => {
      assert.equal(mayPlayCall(dana(scope, null), facts(CALLS["she was the segment's user"])), true);
      assert.equal(mayPlayCall(dana(scope, null), facts(CALLS["was on her device"])), true);
    });
  }

  test("a user without playback permission may not play even their own calls", () => {
    assert.equal(mayPlayCall(dana("none"), facts(CALLS["she was the segment's user"])), false);
  });

  test("a primary-group user with no primary group may play only their own calls", () => {
    assert.equal(mayPlayCall(dana("primary-group", null), facts(CALLS["is tagged with her primary group"])), false);
    assert.deepEqual(scopeGroups(dana("primary-group", null)), []);
  });

  test("the owner of a device and the person who used it are both involved in the call", () => {
    assert.deepEqual(involvedUsers({ segments: [seg("09:00:00", "09:05:00", "ext-202", "dana")] }, lookup).sort(), ["dana", "olly"]);
  });

  test("nobody is involved in a call that never left the queue", () => {
    assert.deepEqual(involvedUsers({ segments: [seg("09:00:00", "09:05:00", null)] }, lookup), []);
  });
});

describe("the groups a scope opens", () => {
  const expected: Record<PlaybackScope, string[] | "all"> = {
    none: [],
    own: [],
    "primary-group": ["sales"],
    "member-groups": ["sales", "support"],
    all: "all",
  };
  for (const scope of PLAYBACK_SCOPES) {
    test(`scope ${scope} opens ${expected[scope] === "all" ? "every call" : `the groups [${String(expected[scope])}]`}`, () => {
      const groups = scopeGroups(dana(scope));
      assert.deepEqual(groups === "all" ? groups : [...groups].sort(), expected[scope]);
    });
  }

  test("the scopes carry the names of the product page", () => {
    assert.deepEqual(SCOPE_LABELS, {
      none: "No playback",
      own: "Own Calls",
      "primary-group": "Primary Group",
      "member-groups": "Member Groups",
      all: "All Calls",
    });
  });
});

describe("conferences", () => {
  const conference = call(
    [],
    [
      seg("10:00:00", "10:40:00", "ext-202"), // olly hosts the whole conference
      seg("10:12:00", "10:18:00", "ext-201"), // dana joins late and leaves early
    ],
    true,
  );

  test("a user who joined a conference late and left early may play the whole conference recording", () => {
    assert.equal(mayPlayCall(dana("own"), facts(conference)), true);
    assert.deepEqual(
      planRecordings(conference, lookup).map((r) => [r.start, r.end]),
      [["2026-11-20T10:00:00Z", "2026-11-20T10:40:00Z"]],
    );
  });

  test("a user with own-calls scope may not play a conference they never joined", () => {
    const without = call([], [seg("10:00:00", "10:40:00", "ext-202"), seg("10:05:00", "10:10:00", "ext-220")], true);
    assert.equal(mayPlayCall(dana("own"), facts(without)), false);
  });
});
