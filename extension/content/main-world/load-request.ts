/**
 * What loading one of the docked player's recordings means to the background: that call, from
 * that point. The call is the one playing when the player still has its recordings, otherwise
 * the `<call-session-recordings>` of the page whose recordings the player was given.
 */
import type { PlaybackState } from "../../../src/extension/background-playback-state.js";
import { MAX_TITLE, type BackgroundRequest } from "../../../src/extension/extension-messages.js";
import type { EngineSource } from "../../../src/player/playback-engine.js";
import type { CallSessionRecordings } from "../../../components/call-session-recordings/call-session-recordings.js";
import type { RecordingPlayer } from "../../../components/recording-player/recording-player.js";
import { sessionUrlFor } from "../session-url.js";
import { sameRecordingIds } from "../../../src/player/player-state.js";
import { withoutMoment } from "../../../src/calls/call-moment.js";

export function loadRequestFor(source: EngineSource, player: RecordingPlayer | null, playing: PlaybackState | null): BackgroundRequest | null {
  const list = player?.recordings ?? [];
  const index = list.findIndex((r) => r.src === source.src);
  if (!player || index < 0) return null;
  const call = callOf(list, playing);
  if (!call) return null;
  return {
    type: "player/load",
    session: {
      ...call,
      callTitle: (player.callTitle || call.callTitle).slice(0, MAX_TITLE),
      recordings: list.map((r) => ({
        id: r.id,
        src: r.src,
        title: r.title.slice(0, MAX_TITLE),
        ...(r.downloadUrl !== undefined ? { downloadUrl: r.downloadUrl } : {}),
        ...(r.durationSeconds !== undefined && Number.isFinite(r.durationSeconds) && r.durationSeconds >= 0 ? { durationSeconds: r.durationSeconds } : {}),
        ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
        ...(r.channels !== undefined ? { channels: r.channels.slice(0, 8) } : {}),
        ...(r.peaksUrl !== undefined && r.peaksUrl.length <= 4096 ? { peaksUrl: r.peaksUrl } : {}),
      })),
    },
    index,
    startAt: Math.max(0, source.startAt ?? 0),
  };
}

function callOf(list: readonly { id: string }[], playing: PlaybackState | null): { callId: string; callTitle: string; sessionUrl: string; apiBase: string } | null {
  const session = playing?.session;
  if (session && sameRecordingIds(list, session.recordings)) {
    return { callId: session.callId, callTitle: session.callTitle, sessionUrl: session.sessionUrl, apiBase: session.apiBase };
  }
  const host = [...document.querySelectorAll<CallSessionRecordings>("call-session-recordings")].find((el) => sameRecordingIds(list, el.recordings));
  if (!host?.callId) return null;
  const page = document.querySelector<HTMLElement>("#call-session")?.dataset.callId === host.callId;
  return {
    callId: host.callId,
    callTitle: `Call ${host.callId}`,
    // The call's own view, without the moment a link to it started at.
    sessionUrl: page ? withoutMoment(location.href) : sessionUrlFor(location.origin, host.callId),
    apiBase: new URL(host.apiBase || "/api", location.href).href.replace(/\/$/, ""),
  };
}
