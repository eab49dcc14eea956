/**
 * Writes the demo dataset, server/demo/dataset.json (`npx tsx scripts/make-demo-dataset.ts`):
 * two weeks of calls at "Northwind Telecom Ltd" (recording On) that show every recording and
 * playback rule of docs/design.md: queues, transfers across 2-4 people, abandoned and internal
 * calls, conferences with late joiners and early leavers, three calls of 60-75 minutes.
 * Deterministic (a seeded PRNG, fixed dates, 16-27 November 2026): the same file every time;
 * `npm start` moves the calls to end on the day it starts (server/demo-days.ts), tests and
 * `--data` use the file as is. Passwords: `<id>-pass`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatProblems, parseDataset } from "../src/rules/dataset.js";
import type { Call, CallDirection, Dataset, Device, Group, Segment, User } from "../src/rules/domain.js";

const OUTPUT = fileURLToPath(new URL("../server/demo/dataset.json", import.meta.url));

const GROUPS: Group[] = [
  { id: "sales", name: "Sales" },
  { id: "support", name: "Customer Support" },
  { id: "billing", name: "Billing" },
  { id: "management", name: "Management" },
];

/** Group lines callers dial, and the group a call to them is tagged with. */
const LINES = [
  { number: "+441632960100", group: "sales" },
  { number: "+441632960110", group: "support" },
  { number: "+441632960120", group: "billing" },
];

type UserSpec = Omit<User, "password" | "admin"> & { admin?: boolean; device: string; deviceRecording: Device["recording"] };

/**
 * The cast (README.md's "Demo users"). With the customer On, recorded are admin, grace, alice,
 * eve, judy and the reception phone (customer), bob (user On), carol, ivan and the warehouse
 * (device On); not erin (device Off, the product page's example 1), heidi (device Off beats
 * user On), dave and frank (user Off) or the boardroom (device Off). Eve's name is hostile
 * markup, shown as text.
 */
const USERS: UserSpec[] = [
  { id: "admin", name: "Administrator", admin: true, primaryGroup: "management", memberGroups: [], recording: "inherit", playback: "all", device: "ext-200", deviceRecording: "inherit" },
  { id: "grace", name: "Grace Okafor", primaryGroup: "management", memberGroups: ["sales", "support", "billing"], recording: "inherit", playback: "all", device: "ext-207", deviceRecording: "inherit" },
  { id: "alice", name: "Alice Jones", primaryGroup: "sales", memberGroups: ["support"], recording: "inherit", playback: "own", device: "ext-201", deviceRecording: "inherit" },
  { id: "erin", name: "Erin Walsh", primaryGroup: "billing", memberGroups: [], recording: "inherit", playback: "own", device: "ext-205", deviceRecording: "off" },
  { id: "eve", name: "Eve <img src=x onerror=alert(1)> \u202Eevil", primaryGroup: "support", memberGroups: [], recording: "inherit", playback: "own", device: "ext-210", deviceRecording: "inherit" },
  { id: "judy", name: "Judy Brown", primaryGroup: null, memberGroups: [], recording: "inherit", playback: "own", device: "ext-211", deviceRecording: "inherit" },
  { id: "bob", name: "Bob Smith", primaryGroup: "sales", memberGroups: [], recording: "on", playback: "primary-group", device: "ext-202", deviceRecording: "inherit" },
  { id: "frank", name: "Frank Osei", primaryGroup: "billing", memberGroups: ["sales"], recording: "off", playback: "primary-group", device: "ext-206", deviceRecording: "inherit" },
  { id: "carol", name: "Carol White", primaryGroup: "support", memberGroups: ["billing"], recording: "inherit", playback: "member-groups", device: "ext-203", deviceRecording: "on" },
  { id: "heidi", name: "Heidi Novak", primaryGroup: "support", memberGroups: ["sales"], recording: "on", playback: "member-groups", device: "ext-208", deviceRecording: "off" },
  { id: "dave", name: "Dave Patel", primaryGroup: "support", memberGroups: [], recording: "off", playback: "none", device: "ext-204", deviceRecording: "inherit" },
  { id: "ivan", name: "Ivan Petrov", primaryGroup: "sales", memberGroups: [], recording: "inherit", playback: "none", device: "ext-209", deviceRecording: "on" },
];

const SHARED_DEVICES: Device[] = [
  { id: "ext-220", name: "Reception", user: null, recording: "inherit" },
  { id: "ext-221", name: "Boardroom conference phone", user: null, recording: "off" },
  { id: "ext-222", name: "Warehouse", user: null, recording: "on" },
];

/** Who answers each group's line (judy answers every line at reception). */
const AGENTS: Record<string, string[]> = {
  sales: ["alice", "bob", "ivan", "heidi", "frank"],
  support: ["carol", "dave", "eve", "heidi", "alice"],
  billing: ["erin", "frank", "carol"],
  management: ["grace", "admin"],
};
const STAFF = USERS.map((u) => u.id);

/** Working days of the two weeks ending Friday 27 November 2026 (UK winter time is UTC). */
const DAYS = [16, 17, 18, 19, 20, 23, 24, 25, 26, 27].map((d) => Date.UTC(2026, 10, d));
const OPEN = (8 * 60 + 30) * 60_000;
const LAST_CALL = (17 * 60 + 10) * 60_000;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** mulberry32: small, fast and good enough to make demo data that does not look made up. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  readonly #random: () => number;
  /** When each user and device is busy, so nobody is on two calls at once. */
  readonly #busy = new Map<string, [number, number][]>();
  readonly calls: Omit<Call, "id">[] = [];

  constructor(seed: number) {
    this.#random = prng(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#random() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** A segment length: mostly one to eight minutes, with a few short and a few longer ones. */
  talk(): number {
    const r = this.#random();
    if (r < 0.08) return this.int(20, 59) * SECOND;
    if (r < 0.93) return this.int(60, 480) * SECOND;
    return this.int(481, 900) * SECOND;
  }

  officeTime(): number {
    return this.pick(DAYS) + OPEN + Math.floor(this.#random() * ((LAST_CALL - OPEN) / SECOND)) * SECOND;
  }

  external(): string {
    return `+441632960${this.int(500, 999)}`;
  }

  free(who: string, start: number, end: number): boolean {
    return (this.#busy.get(who) ?? []).every(([s, e]) => end <= s || start >= e);
  }

  /** Records a call unless one of its people or devices is already on another call then. */
  add(call: Omit<Call, "id">, segments: (Segment & { ms: [number, number] })[]): boolean {
    const parties = segments.flatMap((s) => [s.user, s.device].filter((p): p is string => p !== null).map((p) => ({ p, ms: s.ms })));
    if (!parties.every(({ p, ms }) => this.free(p, ms[0], ms[1]))) return false;
    for (const { p, ms } of parties) this.#busy.set(p, [...(this.#busy.get(p) ?? []), ms]);
    this.calls.push({ ...call, segments: segments.map(({ ms: _, ...s }) => s) });
    return true;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");
const deviceOf = (user: string): string => USERS.find((u) => u.id === user)?.device ?? "";
const ddi = (user: string): string => `+441632960${deviceOf(user).slice(4)}`;
const groupOf = (user: string): string | null => USERS.find((u) => u.id === user)?.primaryGroup ?? null;

/** A segment on a user's own phone (the user defaults to the device's owner, so name neither twice). */
function on(user: string, start: number, end: number, nameUser = false): Segment & { ms: [number, number] } {
  return { start: iso(start), end: iso(end), device: deviceOf(user), user: nameUser ? user : null, ms: [start, end] };
}

function unreached(start: number, end: number): Segment & { ms: [number, number] } {
  return { start: iso(start), end: iso(end), device: null, user: null, ms: [start, end] };
}

function tags(...groups: (string | null)[]): string[] {
  return [...new Set(groups.filter((g): g is string => g !== null))];
}

type Kind = "inbound" | "queued" | "transfer" | "outbound" | "internal" | "abandoned" | "conference" | "reception" | "shared";

/** One attempt at a call of this kind; false when the people it picked were busy. */
function attempt(g: Generator, kind: Kind): boolean {
  const start = g.officeTime();
  const ring = g.int(3, 25) * SECOND;
  const line = g.pick(LINES);
  switch (kind) {
    case "inbound": {
      const agent = g.pick(AGENTS[line.group] ?? []);
      const s = start + ring;
      return g.add(call(start, "inbound", g.external(), line.number, tags(line.group)), [on(agent, s, s + g.talk())]);
    }
    case "queued": {
      const agent = g.pick(AGENTS[line.group] ?? []);
      const answered = start + g.int(15, 180) * SECOND;
      return g.add(call(start, "inbound", g.external(), line.number, tags(line.group)), [
        unreached(start, answered),
        on(agent, answered, answered + g.talk()),
      ]);
    }
    case "abandoned": {
      // The caller gave up in the queue (or the IVR): the call never reached a device or a user.
      return g.add(call(start, "inbound", g.external(), line.number, tags(line.group)), [unreached(start, start + g.int(20, 300) * SECOND)]);
    }
    case "transfer": {
      const people = g.shuffle([...(AGENTS[line.group] ?? []), ...STAFF]).filter((p, i, all) => all.indexOf(p) === i);
      const chain = people.slice(0, g.int(2, 4));
      let t = start + ring;
      const segments = chain.map((who) => {
        const s = on(who, t, t + g.talk());
        t = s.ms[1];
        return s;
      });
      return g.add(call(start, "inbound", g.external(), line.number, tags(line.group, ...chain.map(groupOf))), segments);
    }
    case "outbound": {
      const who = g.pick(STAFF);
      const s = start + g.int(5, 30) * SECOND;
      return g.add(call(start, "outbound", ddi(who), g.external(), tags(groupOf(who))), [on(who, s, s + g.talk())]);
    }
    case "internal": {
      const [caller, callee] = g.shuffle(STAFF);
      if (!caller || !callee) return false;
      const s = start + ring;
      return g.add(call(start, "internal", ddi(caller), ddi(callee), tags(groupOf(caller), groupOf(callee))), [on(callee, s, s + g.talk())]);
    }
    case "reception": {
      // Judy answers the reception phone and says so: the segment names her on a shared device.
      const s = start + ring;
      const e = s + g.talk();
      return g.add(call(start, "inbound", g.external(), "+441632960000", []), [
        { start: iso(s), end: iso(e), device: "ext-220", user: "judy", ms: [s, e] },
      ]);
    }
    case "shared": {
      // The warehouse phone (device On) and the boardroom phone (device Off), nobody named.
      const device = g.pick(["ext-221", "ext-222"]);
      const s = start + ring;
      const e = s + g.talk();
      return g.add(call(start, "inbound", g.external(), `+441632960${device.slice(4)}`, []), [
        { start: iso(s), end: iso(e), device, user: null, ms: [s, e] },
      ]);
    }
    case "conference":
      return conference(g, start, g.shuffle(STAFF).slice(0, g.int(3, 5)));
  }
}

/** A conference: the host is there throughout; the others join late and some leave early. */
function conference(g: Generator, start: number, people: string[], length = g.int(12, 40) * MINUTE): boolean {
  const [host, ...guests] = people;
  if (!host) return false;
  const open = start + g.int(5, 20) * SECOND;
  const close = open + length;
  const segments = [on(host, open, close)];
  for (const guest of guests) {
    const join = open + g.int(1, Math.floor(length / MINUTE / 3)) * MINUTE + g.int(0, 59) * SECOND;
    const leave = g.int(0, 1) === 1 ? close - g.int(2, Math.floor(length / MINUTE / 3)) * MINUTE : close;
    segments.push(on(guest, join, Math.max(leave, join + MINUTE)));
  }
  return g.add({ ...call(start, "internal", ddi(host), "+441632960300", tags(...people.map(groupOf))), conference: true }, segments);
}

function call(start: number, direction: CallDirection, from: string, to: string, groups: string[]): Omit<Call, "id"> {
  return { start: iso(start), direction, from, to, groups, conference: false, segments: [] };
}

/** How many of each kind of call to make, besides the long calls and the fixed conferences. */
const MIX: Record<Kind, number> = {
  inbound: 80,
  queued: 35,
  transfer: 30,
  outbound: 40,
  internal: 22,
  abandoned: 12,
  conference: 6,
  reception: 10,
  shared: 8,
};

/** Builds the demo dataset; the same every time. */
export function makeDemoDataset(seed = 20261127): Dataset {
  const g = new Generator(seed);

  // Fixed first, so they are always there: three long calls and two telling conferences.
  const day = (d: number, h: number, m: number) => Date.UTC(2026, 10, d, h, m);
  g.add(call(day(17, 10, 2), "inbound", "+441632960871", "+441632960110", ["support"]), [on("carol", day(17, 10, 2) + 15 * SECOND, day(17, 11, 10))]);
  g.add(call(day(19, 14, 0), "outbound", ddi("bob"), "+441632960902", ["sales"]), [on("bob", day(19, 14, 0) + 20 * SECOND, day(19, 15, 2))]);
  conference(g, day(25, 9, 30), ["grace", "admin", "alice", "heidi"], 73 * MINUTE);
  // Nobody in this one is recorded: dave and frank are Off, erin's device is Off.
  conference(g, day(23, 15, 0), ["dave", "frank", "erin"], 25 * MINUTE);

  const kinds = g.shuffle(Object.entries(MIX).flatMap(([kind, n]) => Array.from({ length: n }, () => kind as Kind)));
  for (const kind of kinds) {
    for (let tries = 0; tries < 20 && !attempt(g, kind); tries++);
  }

  const calls = [...g.calls]
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((c, i) => ({ id: `c-${1001 + i}`, ...c }));

  return {
    customer: { name: "Northwind Telecom Ltd", recording: "on" },
    groups: GROUPS,
    users: USERS.map((u) => ({
      id: u.id,
      name: u.name,
      password: `${u.id}-pass`,
      admin: u.admin ?? false,
      primaryGroup: u.primaryGroup,
      memberGroups: u.memberGroups,
      recording: u.recording,
      playback: u.playback,
    })),
    devices: [
      ...USERS.map((u) => ({ id: u.device, name: `Extension ${u.device.slice(4)}`, user: u.id, recording: u.deviceRecording })),
      ...SHARED_DEVICES,
    ],
    calls,
  };
}

function main(): void {
  const dataset = makeDemoDataset();
  const parsed = parseDataset(dataset);
  if (!parsed.ok) {
    console.error(`The demo dataset is invalid:\n${formatProblems(parsed.problems, 20)}`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(dataset, null, 1)}\n`);
  console.log(`Wrote ${OUTPUT}: ${dataset.users.length} users, ${dataset.devices.length} devices, ${dataset.calls.length} calls.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
