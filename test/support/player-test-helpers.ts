/**
 * Helpers for the `<recording-player>` tests: fixture audio URLs, a player fixture isolated from
 * other tests (memory preferences, quick recovery), real mouse clicks and key presses through
 * the browser, axe-core, and the second-tab commands of browser-tabs-plugin.
 */
import { fixture, html, waitUntil } from "@open-wc/testing";
import { executeServerCommand, sendKeys, sendMouse } from "@web/test-runner-commands";
import "../../components/index.js";
import type { PlayerRecording, RecordingPlayer } from "../../components/index.js";
import { MediaElementEngine } from "../../src/player/media-element-engine.js";
import { memoryPreferenceStore, type PreferenceStore } from "../../src/player/player-preferences.js";
import { ResumeController } from "../../components/recording-player/resume-controller.js";

// A page's players write down what plays for the next page (IndexedDB); each test file starts clean.
ResumeController.defaultStore = memorySessionStore;
import { memorySessionStore } from "../../src/player/session-resume.js";

/** A token unique to this test (and browser), so fault state on the server is its own. */
export function uniqueToken(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export interface AudioOptions {
  seconds?: number;
  format?: "mulaw" | "pcm16";
  voice?: number;
  token?: string;
  fail?: number;
  failAfter?: number;
  always?: boolean;
  expired?: boolean;
  garbage?: boolean;
  codec?: "gsm";
  delay?: number;
  delayFrom?: number;
}

/** A URL of the fixture server's generated WAV audio. */
export function audioUrl(name: string, options: AudioOptions = {}): string {
  const q = new URLSearchParams();
  q.set("seconds", String(options.seconds ?? 10));
  q.set("format", options.format ?? "mulaw");
  if (options.voice !== undefined) q.set("voice", String(options.voice));
  q.set("token", options.token ?? uniqueToken());
  if (options.fail) q.set("fail", String(options.fail));
  if (options.failAfter !== undefined) q.set("failAfter", String(options.failAfter));
  if (options.always) q.set("always", "1");
  if (options.expired) q.set("expired", "1");
  if (options.garbage) q.set("garbage", "1");
  if (options.codec) q.set("codec", options.codec);
  if (options.delay) q.set("delay", String(options.delay));
  if (options.delayFrom !== undefined) q.set("delayFrom", String(options.delayFrom));
  return `/audio-fixture/${name}.wav?${q}`;
}

/** The byte offset of second `s` in a mu-law fixture (58-byte header, 8000 bytes a second). */
export const mulawOffset = (seconds: number) => 58 + Math.round(seconds * 8000);

export function recording(id: string, options: AudioOptions & { title?: string; downloadUrl?: string } = {}): PlayerRecording {
  const r: PlayerRecording = { id, src: audioUrl(id, options), title: options.title ?? id, durationSeconds: options.seconds ?? 10 };
  if (options.downloadUrl) r.downloadUrl = options.downloadUrl;
  return r;
}

export interface PlayerFixtureOptions {
  recordings?: PlayerRecording[];
  callTitle?: string;
  preferences?: PreferenceStore;
  stallTimeoutMs?: number;
  retryDelays?: number[];
  docked?: boolean;
}

/** A player on the page, with memory preferences and quick recovery unless told otherwise. */
export async function playerFixture(options: PlayerFixtureOptions = {}): Promise<RecordingPlayer> {
  // Properties bound in the template are set before the element connects.
  const el = await fixture<RecordingPlayer>(html`<recording-player
    call-title=${options.callTitle ?? "Test call"}
    ?docked=${options.docked ?? false}
    .preferences=${options.preferences ?? memoryPreferenceStore()}
    .engine=${new MediaElementEngine({ stallTimeoutMs: options.stallTimeoutMs ?? 1500 })}
    .retryDelays=${options.retryDelays ?? [100, 100]}
    .recordings=${options.recordings ?? []}
  ></recording-player>`);
  await el.updateComplete;
  return el;
}

/** A part of the player's shadow DOM. */
export function part<T extends HTMLElement = HTMLElement>(el: RecordingPlayer, name: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

export function maybePart(el: RecordingPlayer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

/**
 * How long a wait for a condition allows by default. Only a failing test takes this long: a
 * machine busy with a whole second test run beside this one (a load average of about 9 on 2
 * cores) took more than 8 s to load a short recording, a call or a waveform, in both browsers.
 * The test timeout (web-test-runner.config.mjs) leaves room for two such waits.
 */
export const WAIT_MS = 20_000;

/** Waits for a condition, naming it when it times out. */
export async function waitFor(condition: () => boolean, message: string, timeout = WAIT_MS): Promise<void> {
  await waitUntil(condition, message, { timeout, interval: 25 });
}

export const waitForStatus = (el: RecordingPlayer, status: string, timeout = WAIT_MS) =>
  waitFor(() => el.status === status, `status ${status} (is ${el.status})`, timeout);

/** Waits for playback to pass `seconds` into the current recording. */
export const waitForTime = (el: RecordingPlayer, seconds: number, timeout = WAIT_MS) =>
  waitFor(() => el.currentTime >= seconds, `time past ${seconds} (is ${el.currentTime.toFixed(2)})`, timeout);

/**
 * How fast playback moves on, in seconds of audio per second on the wall clock: the fastest of
 * `windows` spans of `span` seconds of audio each, one after another. A busy machine can starve
 * the browser's audio, which then stalls while the wall clock goes on: a stall slows the span it
 * falls in, so the fastest span is the rate playback runs at. Each span starts and ends as the
 * position moves on (both read at the same instants).
 */
export async function playbackSpeed(el: RecordingPlayer, span = 1.5, windows = 3): Promise<number> {
  let fastest = 0;
  for (let i = 0; i < windows; i++) {
    const start = { position: el.currentTime, at: performance.now() };
    await waitForTime(el, start.position + span);
    const end = { position: el.currentTime, at: performance.now() };
    fastest = Math.max(fastest, (end.position - start.position) / ((end.at - start.at) / 1000));
  }
  return fastest;
}

/**
 * Every position the player reports from now on, in order. Where playback picked up is the first of
 * them; the position when a test looks again depends on how busy the machine is.
 */
export function positionsReported(el: RecordingPlayer): number[] {
  const positions: number[] = [];
  el.addEventListener("crec-timeupdate", () => positions.push(el.currentTime));
  return positions;
}

/** A real mouse click through the browser, at a fraction of the element's width (default its middle). */
export async function click(element: Element, fractionX = 0.5): Promise<void> {
  element.scrollIntoView({ block: "nearest" });
  const rect = element.getBoundingClientRect();
  const x = Math.round(rect.left + rect.width * fractionX);
  const y = Math.round(rect.top + rect.height / 2);
  await sendMouse({ type: "click", position: [x, y] });
}

/** A real key press through the browser (to whatever has focus). */
export async function press(key: string): Promise<void> {
  await sendKeys({ press: key });
}

/** The element with keyboard focus, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

interface AxeResults {
  violations: { id: string; impact: string; description: string; nodes: { target: unknown; failureSummary?: string }[] }[];
}

interface AxeApi {
  run(context: Element, options?: object): Promise<AxeResults>;
}

/** Runs axe-core over the element (shadow DOM included) and returns its violations, described. */
export async function axeViolations(element: Element): Promise<string[]> {
  const w = window as unknown as { axe?: AxeApi };
  if (!w.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/node_modules/axe-core/axe.min.js";
      script.onload = () => resolve();
      script.onerror = () => reject(new Error("axe-core did not load"));
      document.head.append(script);
    });
  }
  const results = await w.axe!.run(element, { resultTypes: ["violations"] });
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.description} at ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`).join("; ")}`,
  );
}

/** What the fixture server saw for a token. */
export async function serverStats(token: string): Promise<{ range: string | null; status: number; bytes: number; start: number; end: number }[]> {
  const response = await fetch(`/audio-fixture/stats?token=${token}`);
  return ((await response.json()) as { requests: { range: string | null; status: number; bytes: number; start: number; end: number }[] }).requests;
}

export async function serverControl(token: string, command: "heal" | "expire" | "reset" | `fail=${number}`): Promise<void> {
  await fetch(`/audio-fixture/control?token=${token}&${command.includes("=") ? command : `${command}=1`}`);
}

/** Another tab of this browser, same origin and profile; it opens in front. */
export interface Tab {
  eval<T = unknown>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Brings the test's page back to the front after a tab was opened. */
export async function showTestPage(): Promise<void> {
  await executeServerCommand("tab-show-test-page");
}

export async function openTab(url: string): Promise<Tab> {
  const { id } = await executeServerCommand<{ id: string }, { url: string }>("tab-open", { url });
  // Loaded, asked a piece at a time (browser-tabs-plugin.ts); a load that fails throws here.
  while (!(await executeServerCommand<{ loaded: boolean }, { id: string }>("tab-loaded", { id })).loaded);
  return {
    eval: async <T>(expression: string) =>
      (await executeServerCommand<{ value: T }, { id: string; expression: string }>("tab-eval", { id, expression })).value,
    close: async () => {
      await executeServerCommand("tab-close", { id });
    },
  };
}
