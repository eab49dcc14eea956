/**
 * The toolbar popup: what plays, in the same `<recording-player>` a page embeds (given the
 * extension's engine, so it controls the browser's one playback), with buttons to open the
 * call's session and to stop, and the keyboard shortcuts as the browser has them set.
 */
import browser from "webextension-polyfill";
import "../../components/index.js";
import type { PlaybackState } from "../../src/extension/background-playback-state.js";
import { playbackStateShape, STORAGE_KEYS } from "../../src/extension/extension-messages.js";
import { check } from "../../src/shape.js";
import type { RecordingPlayer } from "../../components/recording-player/recording-player.js";
import { ask, send } from "../shared/ask.js";
import { ExtensionEngine } from "../shared/extension-engine.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const engine: ExtensionEngine = new ExtensionEngine({
  send,
  // The popup only moves within the playing call.
  loadRequest: (source) => {
    const index = engine.playback?.session?.recordings.findIndex((r) => r.src === source.src) ?? -1;
    return index < 0 ? null : { type: "player/select", index, startAt: source.startAt ?? 0, play: false };
  },
  srcFor: (_id, src) => src,
});

let player: RecordingPlayer | null = null;

function render(state: PlaybackState | null): void {
  engine.receive(state);
  const session = state?.session ?? null;
  $("call-title").textContent = session?.callTitle ?? "Call Recordings";
  $("empty").hidden = session !== null;
  $("actions").hidden = session === null;
  const ids = session?.recordings.map((r) => r.id).join("\n") ?? "";
  if (!session) {
    player?.remove();
    player = null;
    return;
  }
  // Changed elsewhere (a page, a shortcut): the player takes up what plays now, through its engine.
  if (player && player.dataset.ids === ids) return;
  const next = document.createElement("recording-player");
  next.dataset.ids = ids;
  next.recordings = session.recordings.map((r) => ({ ...r }));
  next.engine = engine;
  player?.remove();
  $("player-slot").append(next);
  player = next;
}

async function showShortcuts(): Promise<void> {
  const commands = await browser.commands.getAll();
  const set = commands.filter((c) => c.shortcut && c.description);
  $("shortcuts").textContent = set.length ? `Shortcuts: ${set.map((c) => `${c.shortcut} ${c.description!.toLowerCase()}`).join("; ")}.` : "";
}

$("open-session").addEventListener("click", () => {
  ask({ type: "player/open-session" }).then(() => window.close(), (error: unknown) => console.warn(error));
});
$("close").addEventListener("click", () => {
  // In order with the popup's other commands, as the docked player's close button is.
  void engine.close().then(() => render(engine.playback));
});
$("options").addEventListener("click", (event) => {
  event.preventDefault();
  void browser.runtime.openOptionsPage().then(() => window.close());
});

browser.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !(STORAGE_KEYS.playback in changes)) return;
  const checked = check(playbackStateShape, changes[STORAGE_KEYS.playback]!.newValue);
  render(checked.ok ? checked.value : null);
});
ask({ type: "state/get" }).then(render, (error: unknown) => console.warn("call recordings: no playback state", error));
void showShortcuts();
