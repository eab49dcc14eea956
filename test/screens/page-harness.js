// @ts-check
/**
 * The screenshot tests' page script (test/screens/screens.test.ts serves it, untranspiled, to the
 * page it builds for the bundle and for the library): loads the elements from the build named by
 * `?build=`, then sets up the scene named by `?scenes=` in turn, with a still engine, so every screen of a
 * state looks the same at every run — no clock moving, no download progress.
 *
 * `window.screensNext()` sets up the page's next scene and resolves, once it is still, with its
 * name and what to capture.
 */

const params = new URL(location.href).searchParams;
const build = params.get("build");
const scenes = (params.get("scenes") ?? "ready").split(",");
/** The call the section shows, as the reference server answered it (put in by the test). */
const payload = JSON.parse(document.getElementById("call")?.textContent ?? "null");

/**
 * A playback engine (src/player/playback-engine.ts) that holds still: it plays at the position it
 * was given and never moves on, loads forever, fails, or is refused autoplay, as told.
 */
class StillEngine {
  /** @param {"play" | "loading" | "error" | "blocked"} mode */
  constructor(mode) {
    this.mode = mode;
    this.recovers = true;
    /** @type {Set<(event: unknown) => void>} */
    this.listeners = new Set();
    this.state = { src: null, currentTime: 0, duration: NaN, buffered: [], paused: true, ended: false, seeking: false, hasMetadata: false, waiting: false, volume: 1, muted: false, playbackRate: 1 };
  }
  /** The recording's own length, as the call says (the section's recordings). @param {string} src */
  static durationOf(src) {
    /** @type {any[]} */
    const recordings = /** @type {any} */ (document.querySelector("call-session-recordings"))?.recordings ?? [];
    return recordings.find((r) => r.src === src)?.durationSeconds ?? 90;
  }
  /** @param {string} cause @param {Record<string, unknown>} change */
  emit(cause, change) {
    this.state = { ...this.state, ...change };
    const event = { type: "state", cause, state: this.state };
    for (const listener of [...this.listeners]) listener(event);
  }
  /** @param {{ src: string; startAt?: number }} source */
  load(source) {
    this.emit("load", { src: source.src, currentTime: source.startAt ?? 0, duration: NaN, buffered: [], paused: true, ended: false, hasMetadata: false, waiting: false });
    const src = source.src;
    setTimeout(() => {
      if (this.state.src !== src) return;
      if (this.mode === "error") {
        for (const listener of [...this.listeners]) listener({ type: "error", src, error: { kind: "network", message: "still engine: the connection failed" } });
      } else if (this.mode !== "loading") {
        const duration = StillEngine.durationOf(src);
        this.emit("loadedmetadata", { duration, hasMetadata: true, buffered: [{ start: 0, end: duration }] });
      }
    }, 0);
  }
  unload() {
    this.emit("unload", { src: null, currentTime: 0, duration: NaN, buffered: [], paused: true, hasMetadata: false, waiting: false });
  }
  play() {
    if (this.mode === "blocked") return Promise.reject(new DOMException("autoplay is blocked", "NotAllowedError"));
    if (this.mode === "loading") {
      this.emit("waiting", { paused: false, waiting: true });
      return Promise.resolve();
    }
    this.emit("play", { paused: false });
    if (this.mode === "play") setTimeout(() => this.emit("playing", { waiting: false }), 0);
    return Promise.resolve();
  }
  pause() {
    this.emit("pause", { paused: true, waiting: false });
  }
  /** @param {number} seconds */
  seek(seconds) {
    this.emit("seeked", { currentTime: seconds });
  }
  /** @param {number} volume */
  setVolume(volume) {
    this.emit("volumechange", { volume });
  }
  /** @param {boolean} muted */
  setMuted(muted) {
    this.emit("volumechange", { muted });
  }
  /** @param {number} rate */
  setPlaybackRate(rate) {
    this.emit("ratechange", { playbackRate: rate });
  }
  /** @param {(event: unknown) => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  dispose() {
    this.listeners.clear();
  }
}

/** @param {() => boolean} condition @param {string} what */
async function until(condition, what, timeoutMs = 8000) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`screens: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** @param {string} mode */
function dockedPlayer(mode) {
  /** @type {any} */
  const player = document.createElement("recording-player");
  player.id = "player";
  player.docked = true;
  player.engine = new StillEngine(/** @type {any} */ (mode));
  return player;
}

/** @param {(callId: string) => Promise<unknown>} getCall @param {string} [callId] */
function section(getCall, callId = payload.id) {
  /** @type {any} */
  const el = document.createElement("call-session-recordings");
  el.setAttribute("player", "player");
  el.setAttribute("time-zone", "UTC");
  el.setAttribute("time-format", "24h");
  el.setAttribute("call-url", "https://pbx.example/call/c-transfer");
  el.source = { getCall };
  el.callId = callId;
  document.body.append(el);
  return el;
}

async function forgetSessions() {
  const dbs = await indexedDB.databases();
  await Promise.all(dbs.map((db) => new Promise((resolve) => {
    if (!db.name) return resolve(undefined);
    const request = indexedDB.deleteDatabase(db.name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve(undefined);
  })));
}

/** The call with each recording's peaks, as the pages serve them (the waveform's scenes). */
const withPeaks = () => {
  const call = structuredClone(payload);
  for (const r of call.recordings) r.peaksUrl = new URL(`/peaks/${encodeURIComponent(r.id)}.json`, location.href).href;
  return call;
};

/** A call of one two-channel recording: the agent talks first (top half), then the caller (bottom). */
const twoChannelCall = () => ({
  id: "c-stereo",
  start: "2026-11-20T09:17:00Z",
  direction: "inbound",
  from: "+441632960011",
  to: "+441632960100",
  segments: [{ index: 0, start: "2026-11-20T09:17:02Z", end: "2026-11-20T09:17:08Z", user: { id: "alice", name: "Alice Jones" } }],
  recordings: [
    {
      id: "r-stereo",
      segment: 0,
      start: "2026-11-20T09:17:02Z",
      durationSeconds: 6,
      participants: [{ id: "alice", name: "Alice Jones" }],
      audioUrl: new URL("/audio/stereo.wav", location.href).href,
      peaksUrl: new URL("/two-parties.json", location.href).href,
      channels: [{ label: "Agent: Alice Jones" }, { label: "Caller: Grace Hopper" }],
    },
  ],
});

/** Whether a canvas has anything drawn on it. @param {HTMLCanvasElement | null | undefined} canvas */
const drawn = (canvas) => {
  if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
  const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
  return false;
};

/** Waits for the player's and the bars' waveforms. @param {any} player @param {any} el */
async function waveformsDrawn(player, el) {
  await until(() => drawn(player.shadowRoot?.querySelector('[part~="waveform"]')), "the player's waveform");
  await until(() => {
    const bars = [...el.shadowRoot.querySelectorAll('[part~="recording-waveform"]')];
    return bars.length === el.recordings.length && bars.every(drawn);
  }, "the bars' waveforms");
}

/** @param {any} player @param {string} status */
const playerIs = (player, status) => until(() => player.status === status, `player status ${status} (is ${player.status})`);

/** The scene's elements, kept from one scene to the next on the same page. */
/** @type {{ player: any; section: any } | null} */
let shown = null;

/**
 * Sets up `scene`, after the scenes before it on this page (`ready`, then `playing`, `paused`,
 * `before-resume` go on with the same elements).
 * @param {string} scene
 * @returns {Promise<string[]>} what to capture: "section", "player"
 */
async function setUp(scene) {
  const answer = () => Promise.resolve(structuredClone(payload));
  if (scene === "resume") {
    // After a page where the call played: the docked player offers to resume where it was.
    const player = dockedPlayer("blocked");
    document.body.append(player);
    await until(() => player.shadowRoot?.querySelector('[part~="resume-button"]') != null, "the resume offer");
    return ["player"];
  }
  if (!shown) await forgetSessions();
  if (scene === "section-loading") {
    section(() => new Promise(() => undefined));
    await until(() => document.querySelector("call-session-recordings")?.getAttribute("status") === "loading", "section loading");
    // The loading indicator shows after a short delay, so a quick answer does not flash it.
    await until(() => /Loading/.test(document.querySelector("call-session-recordings")?.shadowRoot?.textContent ?? ""), "the section's loading indicator");
    return ["section"];
  }
  if (scene === "section-error") {
    section(() => Promise.reject(new TypeError("Failed to fetch")));
    await until(() => document.querySelector("call-session-recordings")?.getAttribute("status") === "error", "section error");
    return ["section"];
  }
  if (!shown) {
    const mode = { loading: "loading", error: "error" }[scene] ?? "play";
    const player = dockedPlayer(mode);
    document.body.append(player);
    const call = scene === "waveform" ? withPeaks : scene === "two-channel" ? twoChannelCall : null;
    shown = { player, section: call ? section(() => Promise.resolve(call()), call().id) : section(answer) };
    await until(() => shown?.section.getAttribute("status") === "ready", "section ready");
  }
  const { player, section: el } = shown;
  switch (scene) {
    case "ready":
      player.callTitle = "Call 11:00 UTC";
      player.recordings = el.recordings;
      // The first recording loaded (the still engine tells of it in a later task): its seek bar
      // shows it downloaded. Captured before that, the bar showed none of it.
      await until(() => player.engine.state.hasMetadata && player.status === "ready", `the first recording loaded (player status ${player.status})`);
      await player.updateComplete;
      return ["section", "player"];
    case "loading":
      el.playRecording(1, 30);
      await playerIs(player, "loading");
      // Shown after a short delay, so a quick start does not flash it.
      await until(() => player.shadowRoot?.querySelector('[part~="play-button"] .spinner') != null, "the player's spinner");
      return ["section", "player"];
    case "error":
      el.playRecording(1, 30);
      await playerIs(player, "error");
      return ["section", "player"];
    case "playing":
      el.playRecording(1, 30);
      await playerIs(player, "playing");
      return ["section", "player"];
    case "paused":
      player.pause();
      await until(() => player.paused && player.status === "ready", `player paused (is ${player.status})`);
      return ["section", "player"];
    case "waveform":
      // The transferred call with its peaks: a waveform on each bar, and in the player's seek slider.
      el.playRecording(1, 30);
      await playerIs(player, "playing");
      await waveformsDrawn(player, el);
      return ["section", "player"];
    case "skip-silence":
      player.pause();
      await until(() => player.paused && player.status === "ready", `player paused (is ${player.status})`);
      player.skipSilence = true;
      await until(() => player.shadowRoot?.querySelector('[part~="skip-silence-button"]')?.getAttribute("aria-pressed") === "true", "skip silence on");
      return ["player"];
    case "two-channel":
      el.playRecording(0, 2.5);
      await playerIs(player, "playing");
      player.pause();
      await until(() => player.paused && player.status === "ready", `player paused (is ${player.status})`);
      await waveformsDrawn(player, el);
      return ["section", "player"];
    case "before-resume":
      // Playing again, written down for the next page, which offers to resume it.
      player.play();
      await playerIs(player, "playing");
      await new Promise((r) => setTimeout(r, 300));
      return [];
    default:
      throw new Error(`screens: no scene ${scene}`);
  }
}

const loaded = import(build === "lib" ? "/lib/components/index.js" : "/bundle/call-recordings.js").then(() =>
  Promise.all([customElements.whenDefined("recording-player"), customElements.whenDefined("call-session-recordings")]),
);

/** Sets up the next scene of the page's `?scenes=` and holds it still: its name and what to capture, or null after the last. */
/** @type {any} */ (window).screensNext = async () => {
  await loaded;
  const scene = scenes.shift();
  if (!scene) return null;
  const shots = await setUp(scene);
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  /** @type {any} */ (window).stillAnimations();
  return { scene, shots };
};
