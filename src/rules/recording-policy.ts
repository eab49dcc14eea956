/**
 * The recording decision of `docs/design.md`: which segments of a call are recorded, and
 * why. Device first, then user, then customer; nothing is recorded before the call reaches a
 * device or a user; one recording per recorded segment, one per conference.
 */
import type { Call, CustomerRecordingSetting, RecordingSetting, Segment } from "./domain.js";

/** Which setting had the last word. `unreached` means the segment never reached a device or user. */
export type DecidedBy = "device" | "user" | "customer" | "unreached";

export interface RecordingDecision {
  recorded: boolean;
  decidedBy: DecidedBy;
  /** A sentence for people: "Recorded: the device inherits, the user is On". */
  reason: string;
}

/** The settings that bear on one segment. `device`/`user` are undefined when the segment has none. */
export interface SegmentSettings {
  device?: RecordingSetting | undefined;
  user?: RecordingSetting | undefined;
  customer: CustomerRecordingSetting;
}

const word = (s: RecordingSetting): string => (s === "on" ? "On" : s === "off" ? "Off" : "inherits");

/** Decides whether one segment is recorded, following device, then user, then customer. */
export function decideSegmentRecording(settings: SegmentSettings): RecordingDecision {
  const { device, user, customer } = settings;
  if (device === undefined && user === undefined) {
    return { recorded: false, decidedBy: "unreached", reason: "Not recorded: the call never reached a device or a user" };
  }
  const steps: string[] = [];
  if (device !== undefined) {
    if (device !== "inherit") {
      return verdict(device === "on", "device", [`the device is ${word(device)}`]);
    }
    steps.push("the device inherits");
  }
  if (user !== undefined) {
    if (user !== "inherit") {
      return verdict(user === "on", "user", [...steps, `the user is ${word(user)}`]);
    }
    steps.push("the user inherits");
  } else {
    steps.push("there is no user");
  }
  return verdict(customer === "on", "customer", [...steps, `the customer is ${word(customer)}`]);
}

function verdict(recorded: boolean, decidedBy: DecidedBy, steps: string[]): RecordingDecision {
  return { recorded, decidedBy, reason: `${recorded ? "Recorded" : "Not recorded"}: ${steps.join(", ")}` };
}

/** Looks up the recording settings and owners the decision needs. */
export interface SettingsLookup {
  customer: CustomerRecordingSetting;
  /** The device's setting and owner, or undefined for an unknown device. */
  device(id: string): { recording: RecordingSetting; user: string | null } | undefined;
  /** The user's setting, or undefined for an unknown user. */
  user(id: string): { recording: RecordingSetting } | undefined;
}

/** The user a segment belongs to: its own user, else its device's owner. */
export function segmentUser(segment: Segment, lookup: Pick<SettingsLookup, "device">): string | null {
  if (segment.user) return segment.user;
  if (segment.device) return lookup.device(segment.device)?.user ?? null;
  return null;
}

/** Decides one segment of a call against the current settings. */
export function decideSegment(segment: Segment, lookup: SettingsLookup): RecordingDecision {
  const device = segment.device ? lookup.device(segment.device) : undefined;
  const userId = segmentUser(segment, lookup);
  const user = userId ? lookup.user(userId) : undefined;
  return decideSegmentRecording({ device: device?.recording, user: user?.recording, customer: lookup.customer });
}

/** A recording a call gets: one per recorded segment, or one for a whole conference. */
export interface PlannedRecording {
  /** Index of the recorded segment; null for a conference recording. */
  segment: number | null;
  start: string;
  end: string;
  /** Indexes of the segments this recording covers (a conference covers every participant's segment). */
  covers: number[];
}

/**
 * Plans the recordings of a call: for an ordinary call one per recorded segment, in segment
 * order; for a conference a single recording from its first join to its last leave (segments
 * that never reached a device or a user left out), made when at least one participant's
 * segment is recorded.
 */
export function planRecordings(call: Pick<Call, "conference" | "segments">, lookup: SettingsLookup): PlannedRecording[] {
  const decisions = call.segments.map((s) => decideSegment(s, lookup));
  if (call.conference) {
    if (!decisions.some((d) => d.recorded)) return [];
    // Time in a queue or IVR before anyone joined is not recorded, conference or not.
    const joined = call.segments.flatMap((s, i) => (decisions[i]?.decidedBy === "unreached" ? [] : [{ s, i }]));
    const first = joined.reduce((a, b) => (Date.parse(b.s.start) < Date.parse(a.s.start) ? b : a));
    const last = joined.reduce((a, b) => (Date.parse(b.s.end) > Date.parse(a.s.end) ? b : a));
    return [
      {
        segment: null,
        start: first.s.start,
        end: last.s.end,
        covers: joined.map((j) => j.i),
      },
    ];
  }
  return call.segments.flatMap((s, i) =>
    decisions[i]?.recorded ? [{ segment: i, start: s.start, end: s.end, covers: [i] }] : [],
  );
}
