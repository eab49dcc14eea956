/**
 * The content script in the page's world (world: "MAIN"), at document_start on reporting pages.
 * It takes the private channel from the isolated content script before any page script runs,
 * and gives the page's docked player the extension's engine, so the audio plays in the
 * background and every page shows it. Kept small: the page features live in the isolated world.
 *
 * The components (the elements a host page embeds, each define guarded: a page that has them
 * keeps its own) are not in this file: the background injects them into the page's world
 * (background/components.ts) when the page needs them: when the extension has a call loaded
 * (the docked player shows it), or when the page has or gains a `<call-session-recordings>` or
 * `<recording-player>` (the isolated world says so of the one it adds; content.css starts an
 * animation on any other, so nothing here walks or watches the document); the engine and the
 * docked player are made then too. A page visited while nothing plays, such as a long Call List,
 * pays only for reading this small file, the channel and the watch on its own players
 * (bench/extension.ts, bench/fixture.ts).
 */
import type { PlaybackState } from "../../src/extension/background-playback-state.js";
import { ELEMENT_ADDED } from "../../src/extension/extension-messages.js";
import { ExtensionEngine } from "../shared/extension-engine.js";
import { acceptChannel, type ChannelClient } from "./main-world/channel-client.js";
import { DockedPlayer } from "./main-world/docked-player.js";
import { loadRequestFor } from "./main-world/load-request.js";
import { PageMedia } from "./main-world/page-media.js";

const ELEMENTS = "call-session-recordings, recording-player";
/** The animation content.css starts on those elements while they are undefined. */
const SENTINEL = "crec-undefined-element";

// Before any page script: the page's own players are watched from their first play().
const pageMedia = new PageMedia((request) => (channel ? channel.send(request) : Promise.reject(new Error("the extension's channel is not open yet"))));
pageMedia.install();
let channel: ChannelClient | null = null;

acceptChannel((client) => {
  channel = client;
  client.onSite = (site) => pageMedia.configure(site);

  let latest: PlaybackState | null = null;
  let heard = false;
  let ready = false;
  /**
   * The extension's engine and the docked player, made when the components are first needed: a
   * page where nothing is loaded runs no engine (nor its clock) and adds no listeners for a player.
   */
  let parts: { engine: ExtensionEngine; player: DockedPlayer } | null = null;
  const partsNow = () => {
    if (parts) return parts;
    const engine: ExtensionEngine = new ExtensionEngine({
      send: (request) => client.send(request),
      loadRequest: (source) => loadRequestFor(source, player.element, engine.playback),
      // The page knows its recordings by its own (freshest) signed URLs.
      srcFor: (id, src) => player.element?.recordings.find((r) => r.id === id)?.src ?? src,
    });
    const player = new DockedPlayer(engine);
    if (heard) engine.receive(latest);
    player.keepOneAtATime();
    player.closeThroughExtension();
    saveThroughExtension(client, player);
    parts = { engine, player };
    return parts;
  };
  let defining = false;
  /** Defines the components (once); the docked player follows the playback from then on. */
  const define = () => {
    if (defining) return;
    defining = true;
    const { player } = partsNow();
    // The docked player is added in the microtasks right after the components are defined, not
    // when the background answers: by then a `<call-session-recordings>` could have loaded its
    // call and docked a player of its own, one that plays in the page.
    void Promise.all([customElements.whenDefined("recording-player"), customElements.whenDefined("call-session-recordings")]).then(() => player.follow(latest));
    client.send({ type: "page/components" }).catch((error: unknown) => console.error("call recordings: the components failed to load", error));
  };
  client.onState = ({ state }) => {
    latest = state;
    heard = true;
    parts?.engine.receive(state);
    pageMedia.follow(state);
    if (!ready) return;
    if (state?.session) define();
    // Does nothing until the components are defined.
    parts?.player.follow(state);
  };
  /**
   * The page has (or gained) one of our elements, undefined: the isolated world said so of the
   * one it added, or the content style sheet's sentinel of any.
   */
  let wanted = false;
  const want = () => {
    wanted = true;
    if (ready) define();
  };
  addEventListener(ELEMENT_ADDED, (event) => event.target instanceof Element && event.target.matches(ELEMENTS) && want(), true);
  addEventListener("animationstart", (event) => event.animationName === SENTINEL && event.target instanceof Element && event.target.matches(ELEMENTS) && want(), true);
  const start = () => {
    ready = true;
    if (latest?.session || wanted) define();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
});

/**
 * The docked player's download button saves through the extension: under the readable name in
 * both browsers, with the link renewed first when it has expired (it is signed for 5 minutes,
 * and the docked player may have had it much longer).
 */
function saveThroughExtension(client: ChannelClient, docked: DockedPlayer): void {
  document.addEventListener(
    "click",
    (event) => {
      const element = docked.element;
      if (!element || event.button !== 0 || !event.composedPath().includes(element)) return;
      const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute("download"));
      const recording = element.currentRecording;
      if (!link?.getAttribute("href") || !recording) return;
      event.preventDefault();
      client.send({ type: "player/download", recordingId: recording.id }).catch((error: unknown) => console.warn("call recordings: the download failed", error));
    },
    true,
  );
}
