/**
 * A small dataset whose every call exercises a rule, with the answer each scope must get
 * ({@link PLAYABLE}). Its users (below, password `<id>-pass`) hold each playback scope.
 */
import type { Dataset } from "../../src/rules/domain.js";

const user = (id: string, playback: string, primaryGroup: string | null, memberGroups: string[] = [], extra: object = {}) => ({
  id,
  name: `${id[0]!.toUpperCase()}${id.slice(1)} Tester`,
  password: `${id}-pass`,
  admin: false,
  primaryGroup,
  memberGroups,
  recording: "inherit",
  playback,
  ...extra,
});

const seg = (start: string, end: string, device: string | null, u: string | null = null) => ({ start: `2026-11-20T${start}Z`, end: `2026-11-20T${end}Z`, device, user: u });

export function fixtureDataset(): Dataset {
  return {
    customer: { name: "Fixture Telecom", recording: "on" },
    groups: [
      { id: "sales", name: "Sales" },
      { id: "support", name: "Support" },
      { id: "billing", name: "Billing" },
    ],
    users: [
      user("admin", "all", null, [], { admin: true }),
      user("alice", "own", "sales"),
      user("bob", "primary-group", "sales", ["support"]),
      user("carol", "member-groups", "support", ["billing"]),
      user("dave", "all", null),
      user("erin", "none", "sales"),
      user("frank", "own", "billing", [], { recording: "off" }),
    ],
    devices: [
      { id: "ext-alice", name: "Alice's desk", user: "alice", recording: "inherit" },
      { id: "ext-bob", name: "Bob's desk", user: "bob", recording: "on" },
      { id: "ext-frank", name: "Frank's desk", user: "frank", recording: "inherit" },
      { id: "ext-quiet", name: "Quiet room", user: null, recording: "off" },
      { id: "ext-shared", name: "Shared phone", user: null, recording: "inherit" },
    ],
    calls: [
      // Alice alone, tagged sales: recorded (device inherits, user inherits, customer on).
      { id: "c-alice", start: "2026-11-20T09:00:00Z", direction: "inbound", from: "+441632960001", to: "+441632960100", groups: ["sales"], conference: false,
        segments: [seg("09:00:05", "09:02:05", "ext-alice")] },
      // Bob alone, tagged support.
      { id: "c-bob", start: "2026-11-20T10:00:00Z", direction: "outbound", from: "+441632960101", to: "+441632960002", groups: ["support"], conference: false,
        segments: [seg("10:00:02", "10:01:00", "ext-bob")] },
      // Transfer: queue (unreached), then Bob, then Alice: two recordings.
      { id: "c-transfer", start: "2026-11-20T11:00:00Z", direction: "inbound", from: "+441632960003", to: "+441632960100", groups: ["sales"], conference: false,
        segments: [seg("11:00:00", "11:00:30", null), seg("11:00:30", "11:02:00", "ext-bob"), seg("11:02:00", "11:04:00", "ext-alice")] },
      // Frank's own call, tagged billing: Frank's user setting is off, so not recorded.
      { id: "c-frank-off", start: "2026-11-20T12:00:00Z", direction: "internal", from: "2003", to: "2004", groups: ["billing"], conference: false,
        segments: [seg("12:00:01", "12:01:01", "ext-frank")] },
      // On the quiet-room phone (device off) by Dave: not recorded.
      { id: "c-quiet", start: "2026-11-20T12:30:00Z", direction: "internal", from: "2005", to: "2006", groups: ["support"], conference: false,
        segments: [seg("12:30:01", "12:31:01", "ext-quiet", "dave")] },
      // Abandoned in the queue: never reached a device or user.
      { id: "c-abandoned", start: "2026-11-20T13:00:00Z", direction: "inbound", from: "+441632960004", to: "+441632960100", groups: ["sales"], conference: false,
        segments: [seg("13:00:00", "13:01:00", null)] },
      // A billing conference: Frank (not recorded: off) hosts, Carol joins late, Alice joins late and leaves early.
      { id: "c-conference", start: "2026-11-20T14:00:00Z", direction: "internal", from: "2003", to: "8000", groups: ["billing"], conference: true,
        segments: [seg("14:00:00", "14:10:00", "ext-frank"), seg("14:02:00", "14:10:00", null, "carol"), seg("14:04:00", "14:06:00", "ext-alice")] },
      // Dave on the shared phone, tagged billing: recorded (shared phone inherits, Dave inherits).
      { id: "c-dave", start: "2026-11-20T15:00:00Z", direction: "outbound", from: "2007", to: "+441632960005", groups: ["billing"], conference: false,
        segments: [seg("15:00:03", "15:00:33", "ext-shared", "dave")] },
    ],
  } as Dataset;
}

/** The calls with recordings each user may play, by the rules of design.md. */
export const PLAYABLE: Record<string, string[]> = {
  admin: ["c-alice", "c-bob", "c-transfer", "c-conference", "c-dave"],
  dave: ["c-alice", "c-bob", "c-transfer", "c-conference", "c-dave"],
  alice: ["c-alice", "c-transfer", "c-conference"],
  bob: ["c-alice", "c-bob", "c-transfer"],
  carol: ["c-bob", "c-conference", "c-dave"],
  erin: [],
  frank: ["c-conference"],
};

/** How many recordings each call has. */
export const RECORDING_COUNT: Record<string, number> = {
  "c-alice": 1,
  "c-bob": 1,
  "c-transfer": 2,
  "c-frank-off": 0,
  "c-quiet": 0,
  "c-abandoned": 0,
  "c-conference": 1,
  "c-dave": 1,
};
