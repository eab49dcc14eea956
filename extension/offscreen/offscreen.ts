/**
 * Chrome's offscreen audio document: plays what the background asks for and reports back about
 * once a second while playing. Chrome closes it after 30 s without sound; the background
 * recreates it on demand and it picks up at the saved position (it asks on start).
 */
import browser, { type Runtime } from "webextension-polyfill";
import { AudioPlayer } from "../audio/audio-player.js";
import { audioCommand, audioTargetShape } from "../../src/extension/extension-messages.js";
import { ask } from "../shared/ask.js";
import { check } from "../../src/shape.js";

const player = new AudioPlayer((report) => {
  ask({ type: "audio/report", report }).catch((error: unknown) => console.warn("call recordings: a report was not taken", error));
});

/**
 * Only the background's service worker commands the audio (@crxjs/vite-plugin's loader for it;
 * offscreen documents have no runtime.getManifest to look it up).
 */
const background = browser.runtime.getURL("service-worker-loader.js");

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id || sender.tab || sender.url !== background) return undefined;
  const command = check(audioCommand, message, "message");
  if (!command.ok) return undefined;
  player.apply(command.value.target);
  return Promise.resolve(player.cue);
});

// Started (or restarted) by the background: pick up what it wants now.
ask({ type: "audio/ready" }).then(
  (target) => {
    const checked = check(audioTargetShape, target, "target");
    if (checked.ok && checked.value.cue !== player.cue) player.apply(checked.value);
  },
  (error: unknown) => console.warn("call recordings: the background did not answer", error),
);
