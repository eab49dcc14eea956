/**
 * What a player remembers for its listener (see src/player/player-preferences.ts): volume, mute and
 * rate, and where each recording was left, in the signed-in user's own store. One feature of the
 * player, used by its playback controller; an engine that keeps settings or positions itself
 * (`takenOver`) is left to do so.
 */
import { clampRate, type PlayerRecording } from "../../src/player/player-state.js";
import { takenOver, type EngineState, type PlaybackEngine } from "../../src/player/playback-engine.js";
import { DEFAULT_PREFERENCES, defaultPreferenceStore, type PlayerPreferences, type PreferenceStore, type SavedPosition } from "../../src/player/player-preferences.js";
import { TimeoutError, withTimeout } from "../shared/with-timeout.js";

/** How often a playing recording's position is written down, in ms. */
const SAVE_EVERY_MS = 5000;
/**
 * How long a new sequence waits to learn where its recordings were left before it starts from
 * the beginning, in ms. A play asked for meanwhile waits for it too: Chromium's IndexedDB has been
 * seen not to answer a first open for more than 15 s, and a click on Play must not wait on it.
 */
export const POSITIONS_WAIT_MS = 1500;

export class PlayerMemory {
  /** The engine the player has, if any yet. */
  readonly #engine: () => PlaybackEngine | null;
  /** The engine the player plays with, made if it has none yet. */
  readonly #playingEngine: () => PlaybackEngine;
  #store: PreferenceStore | null = null;
  /** The page gave its own store: the user does not choose it. */
  #storeGiven = false;
  #user: string | null = null;
  /** Where recordings were left, as read or written here. */
  #saved = new Map<string, SavedPosition>();
  #lastSavedAt = 0;
  #prefs: PlayerPreferences | null = null;
  #prefsRequested = false;
  #prefsId = 0;
  /** The listener chose a setting on this page: from now on the page's settings are theirs. */
  #prefsTouched = false;
  #prefsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the player is on the page (preferences are read once it is). */
  connected = false;
  /** The recordings the player holds, whose positions a new store is asked for. */
  recordings: () => readonly PlayerRecording[] = () => [];

  constructor(engine: () => PlaybackEngine | null, playingEngine: () => PlaybackEngine) {
    this.#engine = engine;
    this.#playingEngine = playingEngine;
  }

  get store(): PreferenceStore {
    this.#store ??= defaultPreferenceStore(this.#user);
    return this.#store;
  }

  set store(store: PreferenceStore) {
    this.#storeGiven = true;
    this.#useStore(store);
  }

  /** Who is signed in, as the page says: the default store is theirs alone. */
  get user(): string | null {
    return this.#user;
  }

  set user(user: string | null) {
    if (user === this.#user) return;
    this.#user = user;
    if (!this.#storeGiven) this.#useStore(defaultPreferenceStore(user));
  }

  // ---- positions ---------------------------------------------------------------------------

  /** Where `id` was left, if known here. */
  saved(id: string): SavedPosition | undefined {
    return this.#saved.get(id);
  }

  /**
   * Reads where each of `ids` was left: none on a failure, or when the store has not answered
   * within {@link POSITIONS_WAIT_MS} (playback starts at the beginning).
   */
  async readPositions(ids: readonly string[]): Promise<SavedPosition[]> {
    try {
      return await withTimeout(this.store.loadPositions([...ids]), POSITIONS_WAIT_MS);
    } catch (error) {
      if (error instanceof TimeoutError) console.warn(`call recordings: the browser's storage did not say within ${POSITIONS_WAIT_MS} ms where the recordings were left; they start at the beginning`);
      // Without saved positions the sequence simply starts at the beginning.
      return [];
    }
  }

  /** Takes in positions read for the recordings now held. */
  remember(saved: readonly SavedPosition[]): void {
    for (const s of saved) this.#saved.set(s.recordingId, s);
  }

  /** A recording played to its end, or started over: it starts at the beginning next time. */
  forget(id: string): void {
    this.#saved.delete(id);
    void this.store.clearPosition(id).catch(() => undefined);
  }

  /**
   * Notes where `recording` stands: every few seconds while it plays, and at once (`force`) when
   * it is left. An engine that keeps the playing position itself (the extension's, across every
   * page) gets only the notes of where a recording was left, so that showing the call again
   * offers to continue there.
   */
  notePosition(recording: PlayerRecording, state: EngineState, duration: number, force: boolean): void {
    if (!force && takenOver(this.#engine()).position) return;
    if (!state.hasMetadata) return;
    const now = Date.now();
    if (!force && now - this.#lastSavedAt < SAVE_EVERY_MS) return;
    this.#lastSavedAt = now;
    const position = state.currentTime;
    this.#saved.set(recording.id, { recordingId: recording.id, position, duration, updatedAt: now });
    void this.store.savePosition(recording.id, position, duration).catch(() => undefined);
  }

  // ---- settings ----------------------------------------------------------------------------

  /** The listener chose a volume, mute or rate on this page. */
  touched(): void {
    this.#prefsTouched = true;
  }

  /**
   * Applies the listener's saved volume, mute and rate to the page's own audio. An engine that
   * keeps them itself (the extension's, for every page and tab) is not overwritten with a page's
   * saved settings, or the defaults where it has none.
   */
  loadPreferences(): void {
    if (this.#prefsRequested || takenOver(this.#engine()).settings) return;
    this.#prefsRequested = true;
    const id = this.#prefsId;
    this.store.loadPreferences().then(
      (prefs) => {
        if (id !== this.#prefsId) return;
        this.#prefs = prefs;
        const engine = this.#playingEngine();
        // The listener already chose, or the engine is already playing with its own settings.
        if (this.#prefsTouched || takenOver(engine).settings || (engine.state.src !== null && !engine.state.paused)) return;
        engine.setVolume(prefs.volume);
        engine.setMuted(prefs.muted);
        engine.setPlaybackRate(clampRate(prefs.playbackRate));
      },
      () => undefined,
    );
  }

  /** The engine's volume, mute or rate changed: what the listener chose is saved (debounced). */
  settingsChanged(state: EngineState): void {
    const prefs = this.#prefs;
    if (prefs && prefs.volume === state.volume && prefs.muted === state.muted && prefs.playbackRate === state.playbackRate) return;
    if (!this.#prefsTouched || takenOver(this.#engine()).settings) return;
    if (this.#prefsTimer !== null) clearTimeout(this.#prefsTimer);
    this.#prefsTimer = setTimeout(() => {
      this.#prefsTimer = null;
      const s = this.#playingEngine().state;
      const next = { volume: s.volume, muted: s.muted, playbackRate: s.playbackRate };
      this.#prefs = { ...(this.#prefs ?? DEFAULT_PREFERENCES), ...next };
      void this.store.savePreferences(next).catch(() => undefined);
    }, 250);
  }

  #useStore(store: PreferenceStore): void {
    if (store === this.#store) return;
    this.#store = store;
    this.#prefs = null;
    this.#prefsId++;
    this.#prefsRequested = false;
    // Where recordings were left is the new store's to say: nothing carries over from the last.
    this.#saved.clear();
    const ids = this.recordings().map((r) => r.id);
    if (ids.length > 0) {
      void store.loadPositions(ids).then(
        (saved) => {
          if (store !== this.#store) return;
          for (const s of saved) if (!this.#saved.has(s.recordingId)) this.#saved.set(s.recordingId, s);
        },
        () => undefined,
      );
    }
    if (this.connected) this.loadPreferences();
  }
}
