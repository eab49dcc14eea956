/**
 * Registers the call-recording elements (each define is guarded, so a page that already has
 * them is left alone) and exports their classes and types.
 */
export { RecordingPlayer } from "./recording-player/recording-player.js";
export type { PlayerRecording, RecordingUpdate, PlayerStatus, PlayerEventDetails } from "./recording-player/recording-player.js";
export type { PlaybackEngine, EngineState, EngineEvent, EngineError, EngineErrorKind, EngineSource } from "../src/player/playback-engine.js";
export { MediaElementEngine } from "../src/player/media-element-engine.js";
export { CallSessionRecordings, CallLoadError, type CallSource, type CallPayload, type SessionStatus, type TimeFormat } from "./call-session-recordings/call-session-recordings.js";
