/**
 * Helpers for the `<call-session-recordings>` tests: signing in to the real reference server
 * behind the test page's origin (api-proxy-middleware.ts), a section with a docked player that
 * remembers nothing between tests, the section's shadow parts, and hand-made call sources.
 */
import { fixture, html } from "@open-wc/testing";
import "../../components/index.js";
import "../../components/call-session-recordings/call-session-recordings.js";
import type { CallSessionRecordings, CallSource, CallPayload } from "../../components/call-session-recordings/call-session-recordings.js";
import type { RecordingPlayer } from "../../components/index.js";
import { ResumeController } from "../../components/recording-player/resume-controller.js";
import { MediaElementEngine } from "../../src/player/media-element-engine.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import { memorySessionStore, type SessionStore } from "../../src/player/session-resume.js";
import { WAIT_MS, waitFor } from "./player-test-helpers.js";

export { click, press, waitFor, WAIT_MS, deepActiveElement, axeViolations } from "./player-test-helpers.js";

// Nothing a test plays is written to this browser's IndexedDB, where it would resume in a later test.
ResumeController.defaultStore = memorySessionStore;

/** Signs the browser in to the reference server as `user` (password `<user>-pass`). */
export async function signInAs(user: string): Promise<void> {
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: user, password: `${user}-pass` }),
  });
  if (!response.ok) throw new Error(`signing in as ${user}: ${response.status}`);
}

/**
 * For a `describe` block: each test gets a fresh in-memory store for what plays on across page
 * loads (ResumeController's), signed in as `user` when one is given; players it made go after it.
 */
export function freshSessionStore(user?: string): { readonly store: SessionStore } {
  let store = memorySessionStore();
  beforeEach(async () => {
    store = memorySessionStore();
    ResumeController.defaultStore = () => store;
    if (user) await signInAs(user);
  });
  afterEach(() => {
    ResumeController.defaultStore = memorySessionStore;
    removeCreatedPlayers();
  });
  return {
    get store() {
      return store;
    },
  };
}

export async function signOut(): Promise<void> {
  await fetch("/api/session", { method: "DELETE" });
}

export interface SessionFixture {
  section: CallSessionRecordings;
  player: RecordingPlayer;
}

/**
 * A section and a docked player (memory preferences, quick retries) in the page. `stallTimeoutMs`
 * gives its media element engine a shorter wait for bytes that stopped coming (default 10 s).
 */
export async function sessionFixture(
  options: { callId?: string; source?: CallSource; withPlayer?: boolean; stallTimeoutMs?: number } = {},
): Promise<SessionFixture> {
  const engine = options.stallTimeoutMs === undefined ? undefined : new MediaElementEngine({ stallTimeoutMs: options.stallTimeoutMs });
  const root = await fixture<HTMLElement>(html`<div>
    <call-session-recordings call-id=${options.callId ?? ""} api-base="/api" .source=${options.source ?? null}></call-session-recordings>
    ${options.withPlayer === false
      ? ""
      : engine
        ? html`<recording-player docked .engine=${engine} .preferences=${memoryPreferenceStore()} .retryDelays=${[100, 100]}></recording-player>`
        : html`<recording-player docked .preferences=${memoryPreferenceStore()} .retryDelays=${[100, 100]}></recording-player>`}
  </div>`);
  const section = root.querySelector("call-session-recordings")!;
  const player = root.querySelector("recording-player")!;
  return { section, player };
}

/** Waits for the section to settle in a status. */
export async function waitForStatus(section: CallSessionRecordings, status: string, timeout = WAIT_MS): Promise<void> {
  // A property set just before starts its load in the coming update.
  await section.updateComplete;
  await waitFor(() => section.status === status, `section ${status} (is ${section.status})`, timeout);
  await section.updateComplete;
}

/** The shadow elements of a part. */
export function parts<T extends HTMLElement = HTMLElement>(section: CallSessionRecordings, name: string): T[] {
  return [...section.shadowRoot!.querySelectorAll<T>(`[part~="${name}"]`)];
}

export function onePart<T extends HTMLElement = HTMLElement>(section: CallSessionRecordings, name: string): T {
  const [found] = parts<T>(section, name);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** Text as a person reads it: whitespace collapsed, isolates dropped. */
export function readable(element: Element | null | undefined): string {
  return (element?.textContent ?? "").replace(/[\u2068\u2069]/g, "").replace(/\s+/g, " ").trim();
}

/** Removes players a section docked at the bottom of the page itself. */
export function removeCreatedPlayers(): void {
  for (const player of document.querySelectorAll("body > recording-player")) player.remove();
}

/** A source that answers what it is given, after `delayMs`. */
export function sourceOf(answer: () => unknown, delayMs = 0): CallSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getCall(callId, { signal }) {
      calls.push(callId);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          try {
            resolve(answer() as CallPayload | null);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }, delayMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    },
  };
}

/** A small well-formed call, for sources. */
export function callPayload(id: string, recordings = 2): CallPayload {
  const start = Date.parse("2026-11-20T09:00:00Z");
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  return {
    id,
    start: at(0),
    end: at(recordings * 30),
    direction: "inbound",
    from: "+441632960001",
    to: "+441632960100",
    conference: false,
    segments: Array.from({ length: recordings }, (_, i) => ({ index: i, start: at(i * 30), end: at(i * 30 + 30), user: { id: `u${i}`, name: `Person ${i + 1}` }, device: null, group: null })),
    recordings: Array.from({ length: recordings }, (_, i) => ({
      id: `${id}-r${i}`,
      segment: i,
      start: at(i * 30),
      end: at(i * 30 + 30),
      durationSeconds: 30,
      audioUrl: `/audio-fixture/${id}-r${i}.wav?seconds=30&voice=${i}`,
    })),
  };
}
