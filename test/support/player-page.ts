/**
 * The script of test/support/player-page.html: a player configured from the query string, and
 * `window.player` for tests that drive it from another tab.
 */
import "../../components/index.js";
import type { PlayerRecording, RecordingPlayer } from "../../components/index.js";

const params = new URLSearchParams(location.search);
const player = document.querySelector<RecordingPlayer>("#player")!;
const fixture = (name: string, seconds: number, voice: number) => `/audio-fixture/${name}.wav?seconds=${seconds}&voice=${voice}`;
const fallback: PlayerRecording[] = [
  { id: "demo-1", src: fixture("demo-1", 95, 0), title: "Segment 1 · Alice Jones", durationSeconds: 95 },
  { id: "demo-2", src: fixture("demo-2", 40, 1), title: "Segment 2 · Bob Smith", durationSeconds: 40 },
  { id: "demo-3", src: fixture("demo-3", 300, 2), title: "Segment 3 · Carol White", durationSeconds: 300 },
];
const given = params.get("recordings");
player.recordings = given ? (JSON.parse(given) as PlayerRecording[]) : fallback;
player.callTitle = params.get("callTitle") ?? "Inbound call from +44 1632 960001";
player.docked = params.has("docked");
if (params.has("lines")) {
  for (let i = 0; i < Number(params.get("lines")); i++) {
    const p = document.createElement("p");
    p.textContent = `Line ${i + 1} of the report.`;
    document.body.append(p);
  }
}

declare global {
  interface Window {
    player: RecordingPlayer;
  }
}
window.player = player;
