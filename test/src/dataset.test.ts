import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DATASET_LIMITS, formatProblems, parseDataset, parseTimestamp } from "../../src/rules/dataset.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests break the file on purpose */

/** The example of design.md, with a second group, user, device and call to point at. */
function valid(): any {
  return {
    customer: { name: "Acme Ltd", recording: "on" },
    groups: [
      { id: "sales", name: "Sales" },
      { id: "support", name: "Support" },
    ],
    users: [
      {
        id: "alice",
        name: "Alice Jones",
        password: "alice-pass",
        admin: false,
        primaryGroup: "sales",
        memberGroups: ["support"],
        recording: "inherit",
        playback: "own",
      },
      { id: "bob", name: "Bob Smith", password: "bob-pass" },
    ],
    devices: [
      { id: "ext-201", name: "Extension 201", user: "alice", recording: "inherit" },
      { id: "ext-220", name: "Reception" },
    ],
    calls: [
      {
        id: "c-1001",
        start: "2026-11-20T09:14:03Z",
        direction: "inbound",
        from: "+441632960001",
        to: "+441632960100",
        groups: ["sales"],
        conference: false,
        segments: [{ start: "2026-11-20T09:14:10Z", end: "2026-11-20T09:16:40Z", device: "ext-201", user: "alice" }],
      },
      {
        id: "c-1002",
        start: "2026-11-20T10:00:00Z",
        direction: "internal",
        from: "+441632960201",
        to: "+441632960202",
        segments: [
          { start: "2026-11-20T10:00:05Z", end: "2026-11-20T10:02:00Z", device: "ext-201" },
          { start: "2026-11-20T10:02:00Z", end: "2026-11-20T10:05:00Z", user: "bob" },
        ],
      },
    ],
  };
}

/** The valid file changed by `change`, parsed. */
function parsedWith(change: (d: any) => void) {
  const d = valid();
  change(d);
  return parseDataset(d);
}

function problemsOf(change: (d: any) => void): string[] {
  const result = parsedWith(change);
  return result.ok ? [] : formatProblems(result.problems).split("\n");
}

describe("a valid dataset file", () => {
  test("is accepted with its values as given", () => {
    const result = parseDataset(valid());
    assert.ok(result.ok);
    assert.deepEqual(result.dataset.users[0], valid().users[0]);
    assert.deepEqual(result.dataset.calls[0], valid().calls[0]);
    assert.deepEqual(result.dataset.customer, { name: "Acme Ltd", recording: "on" });
  });

  test("gets the defaults of the optional fields it leaves out", () => {
    const result = parseDataset(valid());
    assert.ok(result.ok);
    const { users, devices, calls } = result.dataset;
    assert.deepEqual(users[1], {
      id: "bob",
      name: "Bob Smith",
      password: "bob-pass",
      admin: false,
      primaryGroup: null,
      memberGroups: [],
      recording: "inherit",
      playback: "none",
    });
    assert.deepEqual(devices[1], { id: "ext-220", name: "Reception", user: null, recording: "inherit" });
    assert.equal(calls[1]?.conference, false);
    assert.deepEqual(calls[1]?.groups, []);
    assert.deepEqual(calls[1]?.segments, [
      { start: "2026-11-20T10:00:05Z", end: "2026-11-20T10:02:00Z", device: "ext-201", user: null },
      { start: "2026-11-20T10:02:00Z", end: "2026-11-20T10:05:00Z", device: null, user: "bob" },
    ]);
  });

  test("may have no groups, users, devices or calls at all", () => {
    const result = parseDataset({ customer: { name: "Empty Ltd", recording: "off" }, groups: [], users: [], devices: [], calls: [] });
    assert.ok(result.ok);
    assert.equal(result.dataset.calls.length, 0);
  });

  test("may give null for a primary group, a device owner and a segment's device and user", () => {
    const result = parsedWith((d) => {
      d.users[0].primaryGroup = null;
      d.devices[0].user = null;
      d.calls[0].segments[0].device = null;
      d.calls[0].segments[0].user = null;
    });
    assert.ok(result.ok);
  });

  test("may give names any text, markup and bidirectional controls included, since they are shown as text", () => {
    const result = parsedWith((d) => {
      d.users[1].name = "Eve <img src=x onerror=alert(1)> \u202Eevil";
      d.customer.name = "<script>alert('x')</script> & Sons";
    });
    assert.ok(result.ok);
    assert.equal(result.dataset.users[1]?.name, "Eve <img src=x onerror=alert(1)> \u202Eevil");
  });

  test("may let conference participants join late, leave early and overlap", () => {
    const result = parsedWith((d) => {
      d.calls[1].conference = true;
      d.calls[1].segments = [
        { start: "2026-11-20T10:00:05Z", end: "2026-11-20T10:30:00Z", device: "ext-201" },
        { start: "2026-11-20T10:10:00Z", end: "2026-11-20T10:20:00Z", user: "bob" },
        { start: "2026-11-20T10:01:00Z", end: "2026-11-20T10:25:00Z", device: "ext-220" },
      ];
    });
    assert.ok(result.ok);
  });

  test("may give times with an offset or fractions of a second", () => {
    const result = parsedWith((d) => {
      d.calls[0].start = "2026-11-20T10:14:03+01:00";
      d.calls[0].segments[0].end = "2026-11-20T09:16:40.250Z";
    });
    assert.ok(result.ok);
  });
});

/** What is wrong, how to break the file that way, and exactly what the problem says. */
const PROBLEMS: [string, (d: any) => void, string[]][] = [
  ["a segment names a device that does not exist", (d) => (d.calls[1].segments[0].device = "ext-999"), ['calls[1].segments[0].device: unknown device "ext-999"']],
  ["a segment names a user that does not exist", (d) => (d.calls[1].segments[1].user = "zed"), ['calls[1].segments[1].user: unknown user "zed"']],
  ["a user's primary group does not exist", (d) => (d.users[0].primaryGroup = "marketing"), ['users[0].primaryGroup: unknown group "marketing"']],
  ["a user's member group does not exist", (d) => (d.users[0].memberGroups = ["support", "ops"]), ['users[0].memberGroups[1]: unknown group "ops"']],
  ["a device's owner does not exist", (d) => (d.devices[0].user = "alicia"), ['devices[0].user: unknown user "alicia"']],
  ["a call is tagged with a group that does not exist", (d) => (d.calls[0].groups = ["sales", "slaes"]), ['calls[0].groups[1]: unknown group "slaes"']],
  ["a call is tagged with the same group twice", (d) => (d.calls[0].groups = ["sales", "sales"]), ['calls[0].groups[1]: group "sales" is listed twice']],
  ["two groups share an id", (d) => d.groups.push({ id: "sales", name: "Sales again" }), ['groups[2].id: duplicate id "sales" (first used at groups[0])']],
  ["two users share an id", (d) => d.users.push({ ...d.users[1], id: "alice" }), ['users[2].id: duplicate id "alice" (first used at users[0])']],
  ["two devices share an id", (d) => d.devices.push({ id: "ext-201", name: "Spare" }), ['devices[2].id: duplicate id "ext-201" (first used at devices[0])']],
  ["two calls share an id", (d) => (d.calls[1].id = "c-1001"), ['calls[1].id: duplicate id "c-1001" (first used at calls[0])']],
  [
    "a user renamed by mistake is still named elsewhere",
    (d) => (d.users[1].id = "alice"),
    ['users[1].id: duplicate id "alice" (first used at users[0])', 'calls[1].segments[1].user: unknown user "bob"'],
  ],
  ["the customer's recording setting is inherit", (d) => (d.customer.recording = "inherit"), ['customer.recording: expected "on" or "off", got "inherit"']],
  ["a user's recording setting is unknown", (d) => (d.users[0].recording = "yes"), ['users[0].recording: expected "on", "off" or "inherit", got "yes"']],
  ["a device's recording setting is not a string", (d) => (d.devices[0].recording = true), ['devices[0].recording: expected "on", "off" or "inherit", got a boolean']],
  [
    "a user's playback scope is unknown",
    (d) => (d.users[0].playback = "everything"),
    ['users[0].playback: expected "none", "own", "primary-group", "member-groups" or "all", got "everything"'],
  ],
  ["a call's direction is unknown", (d) => (d.calls[0].direction = "sideways"), ['calls[0].direction: expected "inbound", "outbound" or "internal", got "sideways"']],
  ["admin is not a boolean", (d) => (d.users[0].admin = "yes"), ["users[0].admin: expected true or false, got a string"]],
  ["conference is null", (d) => (d.calls[0].conference = null), ["calls[0].conference: expected true or false, got null"]],
  ["a name is a number", (d) => (d.groups[0].name = 42), ["groups[0].name: expected a string, got a number"]],
  ["the customer is an array", (d) => (d.customer = []), ["customer: expected an object, got an array"]],
  ["the calls are an object", (d) => (d.calls = {}), ["calls: expected an array, got an object"]],
  ["a device is a string", (d) => (d.devices[1] = "ext-220"), ["devices[1]: expected an object, got a string"]],
  ["memberGroups is a string", (d) => (d.users[0].memberGroups = "support"), ["users[0].memberGroups: expected an array, got a string"]],
  ["a password is missing", (d) => delete d.users[1].password, ["users[1].password: is required"]],
  ["a password is empty", (d) => (d.users[1].password = ""), ["users[1].password: must not be empty"]],
  ["a group has no name", (d) => delete d.groups[0].name, ["groups[0].name: is required"]],
  ["a device's name is blank", (d) => (d.devices[0].name = "   "), ["devices[0].name: must not be empty"]],
  ["a name is absurdly long", (d) => (d.users[0].name = "x".repeat(501)), ["users[0].name: is longer than 500 characters"]],
  ["an id is empty", (d) => (d.calls[0].id = ""), ["calls[0].id: must not be empty"]],
  ["an id is too long for a URL", (d) => (d.calls[0].id = "c".repeat(101)), ["calls[0].id: is longer than 100 characters"]],
  ["an id contains a slash", (d) => (d.calls[0].id = "c/1001"), ['calls[0].id: must not contain whitespace, "/" or "\\", got "c/1001"']],
  ["an id contains a space", (d) => (d.devices[1].id = "ext 220"), ['devices[1].id: must not contain whitespace, "/" or "\\", got "ext 220"']],
  ["an id contains an invisible control", (d) => (d.devices[1].id = "ext\u202E220"), ['devices[1].id: must contain only printable characters, got "ext\\u202e220"']],
  ["an id is a path step", (d) => (d.calls[1].id = ".."), ['calls[1].id: must not be "." or ".."']],
  ["a call's start is missing", (d) => delete d.calls[0].start, ["calls[0].start: is required"]],
  ["a call's segments are missing", (d) => delete d.calls[0].segments, ["calls[0].segments: is required"]],
  ["a call has no segments", (d) => (d.calls[0].segments = []), ["calls[0].segments: must have at least one segment"]],
  ["a segment has no end", (d) => delete d.calls[0].segments[0].end, ["calls[0].segments[0].end: is required"]],
  [
    "a time has no zone",
    (d) => (d.calls[0].start = "2026-11-20T09:14:03"),
    ['calls[0].start: expected an ISO-8601 time with Z or an offset, like "2026-11-20T09:14:10Z", got "2026-11-20T09:14:03"'],
  ],
  [
    "a time is a date that does not exist",
    (d) => (d.calls[0].segments[0].end = "2026-02-30T09:16:40Z"),
    ['calls[0].segments[0].end: expected an ISO-8601 time with Z or an offset, like "2026-11-20T09:14:10Z", got "2026-02-30T09:16:40Z"'],
  ],
  [
    "a segment ends when it starts",
    (d) => (d.calls[0].segments[0].end = "2026-11-20T09:14:10Z"),
    ["calls[0].segments[0].end: must be after the segment's start (2026-11-20T09:14:10Z)"],
  ],
  [
    "a segment lasts more than a day",
    (d) => (d.calls[0].segments[0].end = "2026-11-21T09:14:11Z"),
    ["calls[0].segments[0].end: makes the segment longer than 24 hours"],
  ],
  [
    "a segment starts before its call",
    (d) => (d.calls[0].segments[0].start = "2026-11-20T09:14:00Z"),
    ["calls[0].segments[0].start: is before the call's start (2026-11-20T09:14:03Z)"],
  ],
  [
    "a segment that is not in a conference overlaps the one before",
    (d) => (d.calls[1].segments[1].start = "2026-11-20T10:01:00Z"),
    ["calls[1].segments[1].start: overlaps the previous segment, which ends at 2026-11-20T10:02:00Z; only a conference may have overlapping segments"],
  ],
  [
    "segments are out of time order",
    (d) => d.calls[1].segments.reverse(),
    ["calls[1].segments[1].start: is before the previous segment's start (2026-11-20T10:02:00Z); segments must be in time order"],
  ],
  ["a top-level key is unknown", (d) => (d.call = []), ["call: unknown key; expected one of customer, groups, users, devices, calls"]],
  [
    "a user's key is misspelt",
    (d) => (d.users[0].primarygroup = "sales"),
    ["users[0].primarygroup: unknown key; expected one of id, name, password, admin, primaryGroup, memberGroups, recording, playback"],
  ],
  ["a segment has a key with a space", (d) => (d.calls[0].segments[0]["the user"] = "x"), ['calls[0].segments[0]["the user"]: unknown key; expected one of start, end, device, user, file, channels']],
  ["a phone number is empty", (d) => (d.calls[0].from = ""), ["calls[0].from: must not be empty"]],
];

describe("an invalid dataset file", () => {
  for (const [what, change, expected] of PROBLEMS) {
    test(`is refused when ${what}`, () => {
      assert.deepEqual(problemsOf(change), expected);
    });
  }

  test("names the path and problem exactly as design.md shows", () => {
    const d = valid();
    d.calls = [0, 1, 2, 3].map((i) => ({ ...valid().calls[0], id: `c-${1001 + i}` }));
    d.calls[3].segments = [{ ...d.calls[3].segments[0], device: "ext-999" }];
    const result = parseDataset(d);
    assert.ok(!result.ok);
    assert.equal(formatProblems(result.problems), 'calls[3].segments[0].device: unknown device "ext-999"');
  });

  test("reports every problem in the file, in file order, not only the first", () => {
    const problems = problemsOf((d) => {
      d.customer.recording = "maybe";
      d.users[0].primaryGroup = "nope";
      d.users[1].nmae = "typo";
      d.devices[0].user = "ghost";
      d.calls[0].segments[0].device = "ext-999";
      d.calls[1].direction = "up";
    });
    assert.deepEqual(problems, [
      'customer.recording: expected "on" or "off", got "maybe"',
      'users[0].primaryGroup: unknown group "nope"',
      "users[1].nmae: unknown key; expected one of id, name, password, admin, primaryGroup, memberGroups, recording, playback",
      'devices[0].user: unknown user "ghost"',
      'calls[0].segments[0].device: unknown device "ext-999"',
      'calls[1].direction: expected "inbound", "outbound" or "internal", got "up"',
    ]);
  });

  test("reports every missing section of a file that is an empty object", () => {
    const result = parseDataset({});
    assert.ok(!result.ok);
    assert.equal(formatProblems(result.problems), ["customer", "groups", "users", "devices", "calls"].map((k) => `${k}: is required`).join("\n"));
  });

  for (const [what, input, kind] of [
    ["an array", [], "an array"],
    ["null", null, "null"],
    ["a string", "{}", "a string"],
  ] as const) {
    test(`is refused whole when the file is ${what}`, () => {
      assert.deepEqual(parseDataset(input), { ok: false, problems: [{ path: "dataset", message: `expected an object, got ${kind}` }] });
    });
  }

  test("is refused with a clear message when a call has too many segments", () => {
    const problems = problemsOf((d) => {
      d.calls[0].segments = Array.from({ length: DATASET_LIMITS.segmentsPerCall + 1 }, () => d.calls[0].segments[0]);
    });
    assert.deepEqual(problems, ["calls[0].segments: too many segments (51); at most 50"]);
  });

  test("is refused with a clear message when it has more calls than the limit", () => {
    const calls = { length: DATASET_LIMITS.calls + 1 };
    const problems = problemsOf((d) => (d.calls = Array.from(calls, () => 0)));
    assert.deepEqual(problems, ["calls: too many calls (2000001); at most 2000000"]);
  });

  test("does not call every reference unknown when the section it refers to is unusable", () => {
    const problems = problemsOf((d) => (d.users = { alice: d.users[0] }));
    assert.deepEqual(problems, ["users: expected an array, got an object"]);
  });

  test("quotes a long bad value shortened and on one line", () => {
    const problems = problemsOf((d) => (d.calls[0].segments[0].device = `ext-${"9".repeat(80)}\n`));
    assert.deepEqual(problems, [`calls[0].segments[0].device: unknown device "ext-${"9".repeat(56)}"…`]);
  });
});

describe("formatting problems", () => {
  const problems = [
    { path: "a", message: "one" },
    { path: "b", message: "two" },
    { path: "c", message: "three" },
  ];

  test("gives one path: message line per problem", () => {
    assert.equal(formatProblems(problems), "a: one\nb: two\nc: three");
  });

  test("can stop after a number of problems and say how many more there are", () => {
    assert.equal(formatProblems(problems, 1), "a: one\n… and 2 more problems");
    assert.equal(formatProblems(problems, 2), "a: one\nb: two\n… and 1 more problem");
  });
});

describe("reading a time", () => {
  for (const [text, ms] of [
    ["2026-11-20T09:14:10Z", Date.UTC(2026, 10, 20, 9, 14, 10)],
    ["2026-11-20T10:14:10+01:00", Date.UTC(2026, 10, 20, 9, 14, 10)],
    ["2026-11-20T04:14:10.5-05:00", Date.UTC(2026, 10, 20, 9, 14, 10, 500)],
    ["2028-02-29T00:00:00Z", Date.UTC(2028, 1, 29)],
  ] as const) {
    test(`understands ${text}`, () => assert.equal(parseTimestamp(text), ms));
  }

  for (const text of [
    "2026-11-20T09:14:10",
    "2026-11-20 09:14:10Z",
    "2026-11-20",
    "2026-13-01T00:00:00Z",
    "2027-02-29T00:00:00Z",
    "2026-11-20T24:00:00Z",
    "2026-11-20T09:60:00Z",
    "2026-11-20T09:14:10+2400",
    "20 Nov 2026 09:14:10 GMT",
    "",
  ]) {
    test(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseTimestamp(text), undefined));
  }
});
