/**
 * The call's timeline as plain numbers, for the recordings section to draw: one lane per party
 * (a person, else a device, else the queue), each segment on its party's lane, a bar per
 * recording (on its segment's lane, or across every lane for a conference's recording of the
 * whole conference), the transfers between lanes, and the time axis. Seconds are counted from
 * the timeline's start. Pure: no DOM.
 */
import type { CallDetails } from "./call-payload.js";
import { formatClock } from "../player/format-time.js";
import { recordingName, whoWasOn, type Who } from "./call-labels.js";

export interface LaneSegment {
  /** The segment's index in the call. */
  index: number;
  /** Seconds from the timeline's start. */
  at: number;
  length: number;
  /** A recording covers it (its own, or the conference's). */
  recorded: boolean;
}

export interface TimelineLane {
  key: string;
  who: Who;
  segments: LaneSegment[];
}

export interface TimelineBar {
  recordingId: string;
  /** Index in `call.recordings` (and in the player's list). */
  recordingIndex: number;
  /** The lane it is drawn on, or null for a recording that spans every lane (a conference's, named on the first lane). */
  lane: number | null;
  at: number;
  /** Wall-clock length on the timeline. */
  length: number;
  /** The audio's length: a click at fraction f of the bar plays from f × this. */
  durationSeconds: number;
}

/** A transfer: the call moved from one party's lane to another's. */
export interface TimelineTransfer {
  at: number;
  fromLane: number;
  toLane: number;
}

export interface TimelineTick {
  at: number;
  /** Elapsed time since the call's start: "0:00", "1:30". */
  label: string;
}

export interface CallTimelineLayout {
  startMs: number;
  /** Seconds the timeline spans (never 0). */
  total: number;
  lanes: TimelineLane[];
  bars: TimelineBar[];
  transfers: TimelineTransfer[];
  ticks: TimelineTick[];
}

/** Two segments this close (ms) count as one following the other. */
const TRANSFER_GAP_MS = 1000;
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

/** The tick interval that puts at most `max` ticks on `total` seconds. */
export function tickStep(total: number, max = 8): number {
  return TICK_STEPS.find((step) => total / step <= max) ?? Math.ceil(total / max / 3600) * 3600;
}

function laneKey(segment: CallDetails["segments"][number]): string {
  if (segment.user) return `user:${segment.user.id ?? segment.user.name}`;
  if (segment.device) return `device:${segment.device.id ?? segment.device.name}`;
  return "unanswered";
}

/** Lays the call out. */
export function layoutCall(call: CallDetails): CallTimelineLayout {
  const startMs = Math.min(call.startMs, ...call.segments.map((s) => s.startMs), ...call.recordings.map((r) => r.startMs));
  const endMs = Math.max(call.endMs, ...call.segments.map((s) => s.endMs), ...call.recordings.map((r) => r.endMs));
  const total = Math.max(1, (endMs - startMs) / 1000);
  const seconds = (ms: number) => (ms - startMs) / 1000;

  const lanes: TimelineLane[] = [];
  const laneOf = new Map<number, number>();
  const spanning = call.recordings.filter((r) => r.segment === null);
  const ownRecording = new Set(call.recordings.flatMap((r) => (r.segment === null ? [] : [r.segment])));

  if (call.segments.length > 0) {
    // A recording of the whole conference gets a lane of its own on top, where its name shows.
    if (spanning.length > 0) {
      const people = new Set(call.segments.filter((s) => s.user || s.device).map(laneKey)).size;
      lanes.push({ key: "conference", who: { primary: "Conference recording", secondary: [`${people} participant${people === 1 ? "" : "s"}`], unanswered: false }, segments: [] });
    }
    const byKey = new Map<string, number>();
    for (const segment of call.segments) {
      const key = laneKey(segment);
      let lane = byKey.get(key);
      if (lane === undefined) {
        lane = lanes.length;
        byKey.set(key, lane);
        lanes.push({ key, who: whoWasOn(segment), segments: [] });
      }
      laneOf.set(segment.index, lane);
      const inConference = spanning.some((r) => r.startMs < segment.endMs && r.endMs > segment.startMs);
      lanes[lane]!.segments.push({
        index: segment.index,
        at: seconds(segment.startMs),
        length: (segment.endMs - segment.startMs) / 1000,
        recorded: ownRecording.has(segment.index) || (inConference && !whoWasOn(segment).unanswered),
      });
    }
  } else {
    // A host's call without segments: a lane per recording, named by who is on it.
    call.recordings.forEach((r, i) => {
      laneOf.set(-1 - i, lanes.length);
      const primary = r.participants.map((p) => p.name).join(", ") || recordingName(r);
      lanes.push({ key: `recording:${r.id}`, who: { primary, secondary: [], unanswered: false }, segments: [] });
    });
  }

  const bars: TimelineBar[] = call.recordings.map((r, i) => ({
    recordingId: r.id,
    recordingIndex: i,
    lane: call.segments.length === 0 ? laneOf.get(-1 - i)! : r.segment === null ? null : (laneOf.get(r.segment) ?? null),
    at: seconds(r.startMs),
    length: (r.endMs - r.startMs) / 1000,
    durationSeconds: r.durationSeconds,
  }));

  const transfers: TimelineTransfer[] = [];
  if (!call.conference) {
    for (let i = 1; i < call.segments.length; i++) {
      const before = call.segments[i - 1]!;
      const after = call.segments[i]!;
      const fromLane = laneOf.get(before.index)!;
      const toLane = laneOf.get(after.index)!;
      if (fromLane !== toLane && after.startMs >= before.endMs - TRANSFER_GAP_MS) transfers.push({ at: seconds(after.startMs), fromLane, toLane });
    }
  }

  const step = tickStep(total);
  const ticks: TimelineTick[] = [];
  for (let at = 0; at <= total + 1e-6; at += step) ticks.push({ at, label: formatClock(at) });

  return { startMs, total, lanes, bars, transfers, ticks };
}
