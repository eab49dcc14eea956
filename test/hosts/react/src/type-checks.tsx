/**
 * Compiled by `tsc` only: what the package's JSX types must refuse. Each `@ts-expect-error`
 * fails the check if its line type-checks, as it would were the tags or details typed `any`.
 */
import type { CrecLoadedDetail, RecordingPlayer } from "call-recordings";
import type { CallSource, CallSessionRecordings } from "call-recordings/bundle.js";

export const checks = [
  // @ts-expect-error a property the element does not have (TypeScript lets any name with a dash through)
  <call-session-recordings callID="c-1" />,
  // @ts-expect-error `source` is a CallSource, not a URL
  <call-session-recordings source="/api" />,
  // @ts-expect-error `recordings` is a list of recordings
  <recording-player recordings="a.wav" />,
  // @ts-expect-error crec-loaded's detail has no `recordingId`
  <call-session-recordings oncrec-loaded={(e) => e.detail.recordingId} />,
  // @ts-expect-error crec-timeupdate's currentTime is a number
  <recording-player oncrec-timeupdate={(e) => e.detail.currentTime.toUpperCase()} />,
  <recording-player recordings={[{ id: "r1", src: "/a.wav", title: "Alice" }]} oncrec-close={(e) => e.detail.currentTime.toFixed(0)} />,
];

export const loaded: CrecLoadedDetail = { callId: "c-1", recordings: 2 };
export const player: RecordingPlayer | null = document.querySelector("recording-player");

// The one-file bundle has the library's types.
export const viaBundle: CallSource = { getCall: async () => null };
export const section: CallSessionRecordings | null = document.querySelector("call-session-recordings");
// @ts-expect-error getCall answers a call or null
export const wrongSource: CallSource = { getCall: async () => 42 };
