/**
 * Registers the call-recording elements (each define is guarded: a page that already has them
 * is left alone, and Node has none) and exports their classes and public types, among them a
 * named detail type per `crec-*` event, which the framework types (dist/types) import.
 */
import type { PlayerEventDetails } from "./recording-player/player-events.js";
import type { SessionEventDetails } from "./call-session-recordings/session-events.js";

export { RecordingPlayer } from "./recording-player/recording-player.js";
export type { PlayerRecording, RecordingUpdate, PlayerStatus, PlayerEventDetails } from "./recording-player/recording-player.js";
export type { PlayerPositionDetail } from "./recording-player/player-events.js";
export type { PlaybackEngine, EngineState, EngineEvent, EngineError, EngineErrorKind, EngineSource } from "../src/player/playback-engine.js";
export { MediaElementEngine } from "../src/player/media-element-engine.js";
export {
  CallSessionRecordings,
  CallLoadError,
  type CallSource,
  type CallLoadErrorKind,
  type CallPayload,
  type CallDetails,
  type CallRecording,
  type CallSegment,
  type Party,
  type SessionEventDetails,
  type SessionStatus,
  type TimeFormat,
} from "./call-session-recordings/call-session-recordings.js";

/** Every `crec-*` event's detail, by event name. */
export type CrecEventDetails = PlayerEventDetails & SessionEventDetails;

export type CrecLoadedDetail = SessionEventDetails["crec-loaded"];
export type CrecEmptyDetail = SessionEventDetails["crec-empty"];
export type CrecLoadErrorDetail = SessionEventDetails["crec-load-error"];
export type CrecPlayDetail = PlayerEventDetails["crec-play"];
export type CrecPauseDetail = PlayerEventDetails["crec-pause"];
export type CrecTimeupdateDetail = PlayerEventDetails["crec-timeupdate"];
export type CrecRecordingchangeDetail = PlayerEventDetails["crec-recordingchange"];
export type CrecEndedDetail = PlayerEventDetails["crec-ended"];
export type CrecErrorDetail = PlayerEventDetails["crec-error"];
export type CrecRefreshUrlDetail = PlayerEventDetails["crec-refresh-url"];
export type CrecVolumechangeDetail = PlayerEventDetails["crec-volumechange"];
export type CrecRatechangeDetail = PlayerEventDetails["crec-ratechange"];
export type CrecStatuschangeDetail = PlayerEventDetails["crec-statuschange"];
export type CrecCloseDetail = PlayerEventDetails["crec-close"];
