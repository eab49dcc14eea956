/**
 * A dataset whose every text field is hostile: markup that would run script if it were taken as
 * HTML, a right-to-left override, quotes of every kind, a carriage return and line feed (a
 * header injection if a name reached a header), path separators (a file name that climbs out
 * of the downloads folder), template syntax, and names as long as a dataset allows. Ids hold
 * what the dataset's id rules let through (`<`, `>`, quotes, `&`, `?`, `#`; no whitespace or
 * slashes). Every surface that shows them must show them as text.
 */
import type { Dataset } from "../../src/rules/domain.js";

/** Each hostile string by where it goes (names up to 500 characters, numbers up to 100). */
export const HOSTILE_TEXT = {
  customer: `<script>window.__crecXss="customer"</script>Acme & "Sons"`,
  groupA: `<img src=x onerror="window.__crecXss='group'">Sales`,
  groupB: `O'Brien "&" Co </td></tr></table><h1>broken</h1>`,
  userA: `Eve \u202Egnp.exe\u202C <b onclick="x()">bold</b>`,
  userB: `<i>`.repeat(125),
  userC: `Carriage\r\nContent-Disposition: inline; filename="evil.html"`,
  userD: `../../etc/passwd \\..\\boot.ini {{constructor.constructor('alert(1)')()}} \${alert(1)}`,
  deviceA: `<script>window.__crecXss="device"</script>`,
  deviceB: `<svg onload="window.__crecXss='svg'"> \u202Ereversed`,
  from: `<img src=x onerror=alert(1)>`,
  to: `"+44' onmouseover='alert(2)`,
  fromB: `../\r\n..\\x"; filename*=UTF-8''evil.html`,
} as const;

/** Ids with what id rules allow that still means something in HTML and URLs. */
export const HOSTILE_IDS = {
  groupA: `g"<i>`,
  groupB: `g'&amp;`,
  userA: `"'><b>&eve`,
  userB: `<i>long`,
  userC: `crlf?x=1#y`,
  userD: `path..`,
  deviceA: `d'&<u>`,
  deviceB: `d"svg>`,
  call: `c-"'><b>&x?y=1#z`,
  conference: `c-conf<script>`,
} as const;

/** Every hostile string, for "nothing of it appears raw" checks. */
export const ALL_HOSTILE: string[] = [...Object.values(HOSTILE_TEXT), ...Object.values(HOSTILE_IDS)];

export function hostileDataset(): Dataset {
  const user = (key: keyof typeof HOSTILE_IDS & keyof typeof HOSTILE_TEXT, group: string, playback: string, memberGroups: string[] = []) => ({
    id: HOSTILE_IDS[key],
    name: HOSTILE_TEXT[key],
    password: `${key}-pass`,
    admin: false,
    primaryGroup: group,
    memberGroups,
    recording: "inherit",
    playback,
  });
  return {
    customer: { name: HOSTILE_TEXT.customer, recording: "on" },
    groups: [
      { id: HOSTILE_IDS.groupA, name: HOSTILE_TEXT.groupA },
      { id: HOSTILE_IDS.groupB, name: HOSTILE_TEXT.groupB },
    ],
    users: [
      { id: "admin", name: "Admin", password: "admin-pass", admin: true, primaryGroup: null, memberGroups: [], recording: "inherit", playback: "all" },
      user("userA", HOSTILE_IDS.groupA, "own"),
      user("userB", HOSTILE_IDS.groupB, "member-groups", [HOSTILE_IDS.groupA]),
      user("userC", HOSTILE_IDS.groupA, "primary-group"),
      user("userD", HOSTILE_IDS.groupB, "all"),
    ],
    devices: [
      { id: HOSTILE_IDS.deviceA, name: HOSTILE_TEXT.deviceA, user: HOSTILE_IDS.userA, recording: "inherit" },
      { id: HOSTILE_IDS.deviceB, name: HOSTILE_TEXT.deviceB, user: HOSTILE_IDS.userC, recording: "on" },
    ],
    calls: [
      {
        id: HOSTILE_IDS.call,
        start: "2026-11-20T09:00:00Z",
        direction: "inbound",
        from: HOSTILE_TEXT.from,
        to: HOSTILE_TEXT.to,
        groups: [HOSTILE_IDS.groupA, HOSTILE_IDS.groupB],
        conference: false,
        segments: [
          { start: "2026-11-20T09:00:02Z", end: "2026-11-20T09:00:32Z", device: HOSTILE_IDS.deviceA, user: HOSTILE_IDS.userA },
          { start: "2026-11-20T09:00:32Z", end: "2026-11-20T09:01:02Z", device: HOSTILE_IDS.deviceB, user: HOSTILE_IDS.userC },
          { start: "2026-11-20T09:01:02Z", end: "2026-11-20T09:01:32Z", device: null, user: HOSTILE_IDS.userD },
        ],
      },
      {
        id: HOSTILE_IDS.conference,
        start: "2026-11-20T10:00:00Z",
        direction: "internal",
        from: HOSTILE_TEXT.fromB,
        to: HOSTILE_TEXT.from,
        groups: [HOSTILE_IDS.groupB],
        conference: true,
        segments: [
          { start: "2026-11-20T10:00:00Z", end: "2026-11-20T10:02:00Z", device: null, user: HOSTILE_IDS.userB },
          { start: "2026-11-20T10:00:30Z", end: "2026-11-20T10:01:30Z", device: HOSTILE_IDS.deviceB, user: null },
        ],
      },
    ],
  } as Dataset;
}
