/**
 * The extension's main-world script that carries a page's own `<audio>` into the background
 * (extension/content/main-world/page-media.ts), on real media elements in Chromium and Firefox.
 * The background is a stand-in here, answering when each test says: the order in which its
 * answer and its state broadcasts reach the page is what these tests are about, and the e2e
 * tests (test/e2e/extension-fixtures-*.test.ts) cannot choose it.
 */
import { expect, waitUntil } from "@open-wc/testing";
import { PageMedia } from "../../extension/content/main-world/page-media.js";
import { initialPlaybackState, loadSession, pause, type PlaybackSession, type PlaybackState } from "../../src/extension/background-playback-state.js";
import type { BackgroundRequest, PageMediaSite, SessionInput } from "../../src/extension/extension-messages.js";
import { audioUrl } from "../support/player-test-helpers.js";

type Load = { request: BackgroundRequest & { type: "player/load" }; resolve: (state: PlaybackState) => void; reject: (error: Error) => void };

/** Records what the page's script asks; holds each load's answer until the test gives it. */
class Background {
  readonly asked: BackgroundRequest[] = [];
  readonly loads: Load[] = [];
  state: PlaybackState = initialPlaybackState(Date.now());

  send = (request: BackgroundRequest): Promise<unknown> => {
    this.asked.push(request);
    if (request.type !== "player/load") return Promise.resolve(null);
    return new Promise((resolve, reject) => this.loads.push({ request, resolve, reject }));
  };

  /** What the background would make of a load: the page's session, playing. */
  loaded(session: SessionInput): PlaybackState {
    const full: PlaybackSession = { ...session, origin: location.origin };
    this.state = loadSession(this.state, { session: full, index: 0, startAt: 0, play: true }, Date.now());
    return this.state;
  }

  /** A later word about what already plays (its clock, its metadata), as the audio context reports them. */
  tick(): PlaybackState {
    this.state = { ...this.state, position: this.state.position + 0.25, at: Date.now(), hasMetadata: true, revision: this.state.revision + 1 };
    return this.state;
  }

  asks(type: BackgroundRequest["type"]): number {
    return this.asked.filter((r) => r.type === type).length;
  }
}

const SITE: PageMediaSite = { carry: true, ownPlayers: false, rows: null, sessionPath: null, sessionCallId: null, downloadTemplate: null, recordingOrigins: [] };

const background = new Background();
// One per page, as in the extension: install() wraps the page's play() for good.
const pageMedia = new PageMedia(background.send);
pageMedia.install();
pageMedia.configure(SITE);

/** Another recording the background is already playing, as when the user played one on an earlier page. */
function playingElsewhere(): void {
  const state = background.loaded({
    callId: `earlier-${Math.random()}`,
    callTitle: "An earlier call",
    sessionUrl: location.href,
    apiBase: location.origin,
    recordings: [{ id: "earlier", src: new URL(audioUrl("earlier", { seconds: 30 }), location.href).href, title: "An earlier call" }],
  });
  pageMedia.follow(state);
}

async function pagePlays(name: string): Promise<{ media: HTMLAudioElement; load: Load }> {
  const media = new Audio(audioUrl(name, { seconds: 20 }));
  document.body.append(media);
  const loadsBefore = background.loads.length;
  await media.play();
  await waitUntil(() => background.loads.length > loadsBefore, "the page's play asks the background to load its recording");
  return { media, load: background.loads.at(-1)! };
}

describe("the extension's page-media script: the page's own player carried into the background", () => {
  afterEach(() => {
    for (const media of document.querySelectorAll("audio")) {
      media.pause();
      media.remove();
    }
  });

  it("stays silent and carried while the background still reports the recording playing before, and the page's pause then pauses the background", async () => {
    playingElsewhere();
    const { media, load } = await pagePlays("page-own");
    expect(media.muted, "silenced at once").to.equal(true);
    expect(load.request.session.recordings[0]!.src).to.equal(media.currentSrc);
    // The audio context's clock for the earlier recording, broadcast before the load is taken.
    pageMedia.follow(background.tick());
    pageMedia.follow(background.tick());
    expect(media.muted, "still silent: the background plays it, not the page").to.equal(true);
    expect(media.paused, "the page's element keeps being driven by the page").to.equal(false);
    const taken = background.loaded(load.request.session);
    load.resolve(taken);
    pageMedia.follow(taken);
    // jPlayer sets its element's volume and sound as it starts: the page must not be heard.
    media.muted = false;
    await waitUntil(() => media.muted, "muted again after the page turned its sound on");
    const pausesBefore = background.asks("player/pause");
    media.pause();
    await waitUntil(() => background.asks("player/pause") === pausesBefore + 1, "the page's pause asks the background to pause");
  });

  it("a word about the earlier recording that reaches the page after the background's answer is stale, and changes nothing", async () => {
    playingElsewhere();
    const stale = background.tick();
    const { media, load } = await pagePlays("late-word");
    load.resolve(background.loaded(load.request.session));
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Broadcast (through storage) before the load was taken, delivered after its answer.
    pageMedia.follow(stale);
    expect(media.muted, "still silent").to.equal(true);
    expect(media.paused, "still driven by the page").to.equal(false);
    const pausesBefore = background.asks("player/pause");
    media.pause();
    await waitUntil(() => background.asks("player/pause") === pausesBefore + 1, "the page's pause asks the background to pause");
  });

  it("when the background answers with something else playing (signed out, say), the element is the page's again, paused", async () => {
    playingElsewhere();
    const { media, load } = await pagePlays("signed-out");
    const other = pause(background.tick(), Date.now());
    background.state = other;
    load.resolve(other);
    await waitUntil(() => media.paused && !media.muted, "paused and given its sound back");
  });

  it("when the background cannot take it at all, the page plays it itself, with its sound", async () => {
    playingElsewhere();
    const { media, load } = await pagePlays("refused");
    load.reject(new Error(`${location.origin} is not an enabled reporting site`));
    await waitUntil(() => !media.muted, "given its sound back");
    expect(media.paused, "still playing, as it would without the extension").to.equal(false);
    const pausesBefore = background.asks("player/pause");
    media.pause();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(background.asks("player/pause"), "no longer carried: its pause is its own").to.equal(pausesBefore);
  });
});
