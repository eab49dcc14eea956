import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CustomerRecordingSetting, RecordingSetting, Segment } from "../../src/rules/domain.js";
import {
  decideSegment,
  decideSegmentRecording,
  planRecordings,
  segmentUser,
  type DecidedBy,
  type SettingsLookup,
} from "../../src/rules/recording-policy.js";

type Setting = RecordingSetting | "absent";

/** device, user, customer → recorded, who decided, the reason shown to people. */
const TABLE: [Setting, Setting, CustomerRecordingSetting, boolean, DecidedBy, string][] = [
  ["absent", "absent", "on", false, "unreached", "Not recorded: the call never reached a device or a user"],
  ["absent", "absent", "off", false, "unreached", "Not recorded: the call never reached a device or a user"],
  ["absent", "on", "on", true, "user", "Recorded: the user is On"],
  ["absent", "on", "off", true, "user", "Recorded: the user is On"],
  ["absent", "off", "on", false, "user", "Not recorded: the user is Off"],
  ["absent", "off", "off", false, "user", "Not recorded: the user is Off"],
  ["absent", "inherit", "on", true, "customer", "Recorded: the user inherits, the customer is On"],
  ["absent", "inherit", "off", false, "customer", "Not recorded: the user inherits, the customer is Off"],
  ["on", "absent", "on", true, "device", "Recorded: the device is On"],
  ["on", "absent", "off", true, "device", "Recorded: the device is On"],
  ["on", "on", "on", true, "device", "Recorded: the device is On"],
  ["on", "on", "off", true, "device", "Recorded: the device is On"],
  ["on", "off", "on", true, "device", "Recorded: the device is On"],
  ["on", "off", "off", true, "device", "Recorded: the device is On"],
  ["on", "inherit", "on", true, "device", "Recorded: the device is On"],
  ["on", "inherit", "off", true, "device", "Recorded: the device is On"],
  ["off", "absent", "on", false, "device", "Not recorded: the device is Off"],
  ["off", "absent", "off", false, "device", "Not recorded: the device is Off"],
  ["off", "on", "on", false, "device", "Not recorded: the device is Off"],
  ["off", "on", "off", false, "device", "Not recorded: the device is Off"],
  ["off", "off", "on", false, "device", "Not recorded: the device is Off"],
  ["off", "off", "off", false, "device", "Not recorded: the device is Off"],
  ["off", "inherit", "on", false, "device", "Not recorded: the device is Off"],
  ["off", "inherit", "off", false, "device", "Not recorded: the device is Off"],
  ["inherit", "absent", "on", true, "customer", "Recorded: the device inherits, there is no user, the customer is On"],
  ["inherit", "absent", "off", false, "customer", "Not recorded: the device inherits, there is no user, the customer is Off"],
  ["inherit", "on", "on", true, "user", "Recorded: the device inherits, the user is On"],
  ["inherit", "on", "off", true, "user", "Recorded: the device inherits, the user is On"],
  ["inherit", "off", "on", false, "user", "Not recorded: the device inherits, the user is Off"],
  ["inherit", "off", "off", false, "user", "Not recorded: the device inherits, the user is Off"],
  ["inherit", "inherit", "on", true, "customer", "Recorded: the device inherits, the user inherits, the customer is On"],
  ["inherit", "inherit", "off", false, "customer", "Not recorded: the device inherits, the user inherits, the customer is Off"],
];

const given = (s: Setting): RecordingSetting | undefined => (s === "absent" ? undefined : s);

describe("the recording decision for one segment", () => {
  test("the table covers every combination of device, user and customer settings exactly once", () => {
    const combos = new Set(TABLE.map(([d, u, c]) => `${d}/${u}/${c}`));
    assert.equal(combos.size, 4 * 4 * 2);
    assert.equal(TABLE.length, 4 * 4 * 2);
  });

  for (const [device, user, customer, recorded, decidedBy, reason] of TABLE) {
    test(`a segment with device ${device}, user ${user} and customer ${customer} is ${recorded ? "" : "not "}recorded, decided by the ${decidedBy === "unreached" ? "segment never reaching anyone" : decidedBy}`, () => {
      assert.deepEqual(decideSegmentRecording({ device: given(device), user: given(user), customer }), { recorded, decidedBy, reason });
    });
  }

  test("example 1 of the product page: device Off, user Inherit, customer On is not recorded because the device takes precedence", () => {
    const d = decideSegmentRecording({ device: "off", user: "inherit", customer: "on" });
    assert.equal(d.recorded, false);
    assert.equal(d.decidedBy, "device");
    assert.equal(d.reason, "Not recorded: the device is Off");
  });

  test("example 2 of the product page: device Inherit, user On, customer Off is recorded because the user takes precedence", () => {
    const d = decideSegmentRecording({ device: "inherit", user: "on", customer: "off" });
    assert.equal(d.recorded, true);
    assert.equal(d.decidedBy, "user");
    assert.equal(d.reason, "Recorded: the device inherits, the user is On");
  });
});

interface World {
  customer: CustomerRecordingSetting;
  devices: Record<string, { recording: RecordingSetting; user: string | null }>;
  users: Record<string, RecordingSetting>;
}

function lookupOf(world: World): SettingsLookup {
  return {
    customer: world.customer,
    device: (id) => world.devices[id],
    user: (id) => (world.users[id] === undefined ? undefined : { recording: world.users[id] }),
  };
}

const seg = (start: string, end: string, device: string | null, user: string | null = null): Segment => ({
  start: `2026-11-20T${start}Z`,
  end: `2026-11-20T${end}Z`,
  device,
  user,
});

const office = lookupOf({
  customer: "on",
  devices: {
    "ext-201": { recording: "inherit", user: "alice" },
    "ext-202": { recording: "off", user: "bob" },
    "ext-203": { recording: "inherit", user: "carol" },
    "ext-204": { recording: "inherit", user: "dave" },
    "ext-220": { recording: "inherit", user: null },
  },
  users: { alice: "on", bob: "on", carol: "inherit", dave: "off", erin: "off" },
});

describe("a segment's user", () => {
  test("is the user the segment names", () => {
    assert.equal(segmentUser(seg("09:00:00", "09:01:00", "ext-201", "erin"), office), "erin");
  });

  test("defaults to the owner of the segment's device", () => {
    assert.equal(segmentUser(seg("09:00:00", "09:01:00", "ext-201"), office), "alice");
  });

  test("is nobody on a shared device that names no user", () => {
    assert.equal(segmentUser(seg("09:00:00", "09:01:00", "ext-220"), office), null);
  });

  test("is nobody when the segment reached neither a device nor a user", () => {
    assert.equal(segmentUser(seg("09:00:00", "09:01:00", null), office), null);
  });

  test("is nobody on an unknown device", () => {
    assert.equal(segmentUser(seg("09:00:00", "09:01:00", "ext-999"), office), null);
  });
});

describe("deciding a segment against the current settings", () => {
  test("uses the device owner's setting when the segment names no user", () => {
    const d = decideSegment(seg("09:00:00", "09:01:00", "ext-204"), office);
    assert.deepEqual(d, { recorded: false, decidedBy: "user", reason: "Not recorded: the device inherits, the user is Off" });
  });

  test("uses the named user's setting rather than the device owner's when someone else uses the device", () => {
    const d = decideSegment(seg("09:00:00", "09:01:00", "ext-201", "erin"), office);
    assert.deepEqual(d, { recorded: false, decidedBy: "user", reason: "Not recorded: the device inherits, the user is Off" });
  });

  test("falls back to the customer on a shared device with nobody named", () => {
    const d = decideSegment(seg("09:00:00", "09:01:00", "ext-220"), office);
    assert.equal(d.recorded, true);
    assert.equal(d.decidedBy, "customer");
  });

  test("does not record a segment that waited in a queue", () => {
    assert.equal(decideSegment(seg("09:00:00", "09:01:00", null), office).decidedBy, "unreached");
  });
});

describe("the recordings a call gets", () => {
  test("a transferred call gets one recording per recorded segment, in segment order", () => {
    const call = {
      conference: false,
      segments: [
        seg("09:00:00", "09:03:00", "ext-201"), // alice On: recorded
        seg("09:03:00", "09:05:00", "ext-202"), // bob's device Off: not recorded
        seg("09:05:00", "09:09:30", "ext-203"), // carol inherits the customer's On: recorded
      ],
    };
    assert.deepEqual(planRecordings(call, office), [
      { segment: 0, start: "2026-11-20T09:00:00Z", end: "2026-11-20T09:03:00Z", covers: [0] },
      { segment: 2, start: "2026-11-20T09:05:00Z", end: "2026-11-20T09:09:30Z", covers: [2] },
    ]);
  });

  test("time spent in a queue or IVR before an answer gets no recording", () => {
    const call = { conference: false, segments: [seg("09:00:00", "09:00:40", null), seg("09:00:40", "09:04:00", "ext-203")] };
    assert.deepEqual(planRecordings(call, office), [
      { segment: 1, start: "2026-11-20T09:00:40Z", end: "2026-11-20T09:04:00Z", covers: [1] },
    ]);
  });

  test("a call abandoned in the queue gets no recording at all", () => {
    assert.deepEqual(planRecordings({ conference: false, segments: [seg("09:00:00", "09:02:00", null)] }, office), []);
  });

  test("a call whose every segment is not recorded gets no recording", () => {
    const call = { conference: false, segments: [seg("09:00:00", "09:02:00", "ext-202"), seg("09:02:00", "09:03:00", "ext-204")] };
    assert.deepEqual(planRecordings(call, office), []);
  });

  test("a conference gets exactly one recording from the first join to the last leave when one participant is recorded", () => {
    const call = {
      conference: true,
      segments: [
        seg("10:05:00", "10:20:00", "ext-201"), // alice joins late and leaves early, and is recorded
        seg("10:00:00", "10:30:00", "ext-204"), // dave is not recorded
        seg("10:02:00", "10:41:00", "ext-202"), // bob's device is Off
      ],
    };
    assert.deepEqual(planRecordings(call, office), [
      { segment: null, start: "2026-11-20T10:00:00Z", end: "2026-11-20T10:41:00Z", covers: [0, 1, 2] },
    ]);
  });

  test("a conference gets no recording when no participant is recorded", () => {
    const call = { conference: true, segments: [seg("10:00:00", "10:30:00", "ext-204"), seg("10:02:00", "10:25:00", "ext-202")] };
    assert.deepEqual(planRecordings(call, office), []);
  });

  test("a conference recording starts when the first participant joins, not while the call waited in a queue", () => {
    const call = {
      conference: true,
      segments: [seg("09:58:00", "10:00:00", null), seg("10:00:00", "10:30:00", "ext-201"), seg("10:03:00", "10:20:00", "ext-204")],
    };
    assert.deepEqual(planRecordings(call, office), [
      { segment: null, start: "2026-11-20T10:00:00Z", end: "2026-11-20T10:30:00Z", covers: [1, 2] },
    ]);
  });
});
