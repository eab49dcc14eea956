/**
 * A React host: `?call=ID&mode=api` loads the call through `api-base`, `mode=source` through a
 * `CallSource` kept stable with `useMemo` while the page re-renders on every `crec-timeupdate`.
 * Each event it receives is listed on the page.
 */
import { useMemo, useState } from "react";
import "call-recordings"; // defines <call-session-recordings> and <recording-player>
import type { CallPayload, CallSource } from "call-recordings";

declare global {
  interface Window {
    /** How many times the host's CallSource was asked for a call. */
    getCallCount: number;
  }
}
window.getCallCount = 0;

/** The host's own way to the calls: here the reference server's API, read by the host. */
function hostSource(): CallSource {
  return {
    async getCall(callId, { signal }) {
      window.getCallCount++;
      const res = await fetch(`/api/calls/${encodeURIComponent(callId)}`, { signal, credentials: "same-origin" });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as CallPayload;
    },
  };
}

export function App() {
  const params = new URLSearchParams(location.search);
  const callId = params.get("call") ?? "";
  const viaSource = params.get("mode") === "source";
  const source = useMemo(() => (viaSource ? hostSource() : null), [viaSource]);
  const [events, setEvents] = useState<string[]>([]);
  const [position, setPosition] = useState(0);
  const note = (line: string) => setEvents((all) => [...all, line]);

  return (
    <main>
      <h1>Call {callId}</h1>
      <call-session-recordings
        call-id={callId}
        api-base="/api"
        source={source}
        time-zone="UTC"
        oncrec-loaded={(e) => note(`crec-loaded ${e.detail.callId} ${e.detail.recordings}`)}
        oncrec-empty={(e) => note(`crec-empty ${e.detail.callId} ${e.detail.reason}`)}
        oncrec-load-error={(e) => note(`crec-load-error ${e.detail.kind} ${e.detail.message}`)}
      />
      <p>
        Heard up to <output id="position">{Math.floor(position)}</output> s
      </p>
      <ol id="events">
        {events.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
      <recording-player
        docked
        oncrec-play={(e) => note(`crec-play ${e.detail.recordingId}`)}
        oncrec-pause={(e) => note(`crec-pause ${e.detail.recordingId} ${e.detail.reason}`)}
        oncrec-timeupdate={(e) => setPosition(e.detail.currentTime)}
      />
    </main>
  );
}
