/**
 * Issue 16, the waveform and skip silence: the player's seek slider shows a recording's waveform
 * from the reference server's peaks (blank where the line was silent, drawn where people talked),
 * none without peaks, each timeline bar its own (a two-channel recording's parties on their own
 * halves), and skip silence jumps over silences longer than 2 s while the time shown stays the
 * recording's own.
 */
import { expect } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import type { CallPayload } from "../../components/call-session-recordings/call-session-recordings.js";
import { formatClock } from "../../src/player/format-time.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import type { PlayerRecording } from "../../src/player/player-state.js";
import { checkPeaks, findSilences, pixelLevels, secondsPerPixel, type Peaks, type SilentSpan } from "../../src/player/silence.js";
import { axeViolations, deepActiveElement, maybePart, part, playerFixture, press, recording, uniqueToken, waitFor, waitForStatus } from "../support/player-test-helpers.js";
import { sessionFixture, signInAs, signOut, waitForStatus as waitForSection } from "../support/session-test-helpers.js";

interface ServerRecording {
  id: string;
  audioUrl: string;
  peaksUrl: string | null;
  durationSeconds: number;
}

/** The recording of `callId` as the reference server answers it to `user`, with its peaks. */
async function serverRecording(user: string, callId: string): Promise<{ recording: PlayerRecording; peaks: Peaks; silences: SilentSpan[] }> {
  await signInAs(user);
  const call = (await (await fetch(`/api/calls/${callId}`)).json()) as { recordings: ServerRecording[] };
  const r = call.recordings[0]!;
  expect(r.peaksUrl, "the server gives the recording's peaks").to.be.a("string");
  const peaks = checkPeaks(await (await fetch(r.peaksUrl!)).json());
  return {
    recording: { id: r.id, src: r.audioUrl, title: `Recording of ${callId}`, durationSeconds: r.durationSeconds, peaksUrl: r.peaksUrl! },
    peaks,
    silences: findSilences(peaks),
  };
}

/** The most opaque pixel of the canvas's column at `fraction` of its width, within rows `from`..`to` (fractions of its height). */
function columnAlpha(canvas: HTMLCanvasElement, fraction: number, from = 0, to = 1): number {
  const x = Math.min(canvas.width - 1, Math.max(0, Math.round(fraction * canvas.width)));
  const y = Math.floor(from * canvas.height);
  const h = Math.max(1, Math.floor(to * canvas.height) - y);
  const pixels = canvas.getContext("2d")!.getImageData(x, y, 1, h).data;
  let max = 0;
  for (let i = 3; i < pixels.length; i += 4) max = Math.max(max, pixels[i]!);
  return max;
}

/** The loudest moment of the peaks, in seconds. */
function loudest(peaks: Peaks): number {
  const levels = pixelLevels(peaks);
  let best = 0;
  for (let x = 1; x < levels.length; x++) if (levels[x]! > levels[best]!) best = x;
  return (best + 0.5) * secondsPerPixel(peaks);
}

async function drawnWaveform(el: RecordingPlayer): Promise<HTMLCanvasElement> {
  await waitFor(() => maybePart(el, "waveform") !== null, "the waveform is shown");
  const canvas = part<HTMLCanvasElement>(el, "waveform");
  await waitFor(() => canvas.width > 0 && columnAlpha(canvas, 0.5, 0, 1) >= 0 && [...Array(20)].some((_, i) => columnAlpha(canvas, i / 20) > 0), "the waveform is drawn");
  return canvas;
}

describe("recording-player: the waveform", () => {
  afterEach(signOut);

  it("draws the server's peaks in the seek slider: blank in silences, drawn where people talk", async () => {
    const { recording: r, peaks, silences } = await serverRecording("alice", "c-alice");
    expect(silences.length, "the generated conversation has a pause over 2 s").to.be.greaterThan(0);
    const el = await playerFixture({ recordings: [r] });
    await waitForStatus(el, "ready");
    const canvas = await drawnWaveform(el);
    expect(canvas.getAttribute("aria-hidden")).to.equal("true");
    // The slider stays the control, with the waveform inside it.
    expect(canvas.closest('[part~="seek-slider"]')?.getAttribute("role")).to.equal("slider");
    const duration = r.durationSeconds!;
    for (const s of silences) expect(columnAlpha(canvas, (s.start + s.end) / 2 / duration), `silence ${s.start.toFixed(1)}–${s.end.toFixed(1)} s is blank`).to.equal(0);
    expect(columnAlpha(canvas, loudest(peaks) / duration), "the loudest moment is drawn").to.be.greaterThan(100);
  });

  it("shows the played part in another colour, and follows the slider's width", async () => {
    const { recording: r, peaks } = await serverRecording("alice", "c-alice");
    const el = await playerFixture({ recordings: [r] });
    await waitForStatus(el, "ready");
    const canvas = await drawnWaveform(el);
    const at = loudest(peaks);
    const x = Math.round((at / r.durationSeconds!) * canvas.width);
    const colourAt = () => [...canvas.getContext("2d")!.getImageData(x, 0, 1, canvas.height).data].join();
    const before = colourAt();
    el.seekTo(at + 1);
    await waitFor(() => colourAt() !== before, "the played part changes colour");
    const width = canvas.width;
    el.style.width = "600px";
    await waitFor(() => canvas.width !== width, "the canvas is redrawn at its new width");
  });

  it("shows no waveform and no skip silence without peaks (an MP3, a plain URL)", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [{ id: `mp3-${token}`, src: `/recording-files/call.mp3?token=${token}`, title: "MP3" }, recording(`wav-${token}`, { seconds: 4 })] });
    await waitForStatus(el, "ready");
    expect(maybePart(el, "waveform"), "no waveform").to.equal(null);
    expect(maybePart(el, "skip-silence-button"), "no skip silence").to.equal(null);
  });

  it("skip silence, from the keyboard, jumps over a pause over 2 s; the time shown stays the recording's", async () => {
    const { recording: r, silences } = await serverRecording("alice", "c-alice");
    const silence = silences[0]!;
    const preferences = memoryPreferenceStore();
    const el = await playerFixture({ recordings: [r], preferences });
    await waitForStatus(el, "ready");
    await drawnWaveform(el);
    const button = part(el, "skip-silence-button");
    expect(button.getAttribute("aria-label")).to.equal("Skip silence");
    expect(button.getAttribute("aria-pressed")).to.equal("false");
    button.focus();
    await press("Enter");
    await waitFor(() => button.getAttribute("aria-pressed") === "true", "skip silence is on");
    expect(deepActiveElement()).to.equal(button);
    expect((await preferences.loadPreferences()).skipSilence, "remembered with the preferences").to.equal(true);
    expect(await axeViolations(el)).to.deep.equal([]);

    const seen: number[] = [];
    el.addEventListener("crec-timeupdate", () => seen.push(el.currentTime));
    el.seekTo(Math.max(0, silence.start - 0.6));
    void el.play();
    await waitFor(() => el.currentTime >= silence.end - 0.3, `playback passes ${silence.end.toFixed(1)} s`);
    const inside = seen.filter((t) => t > silence.start + 1 && t < silence.end - 0.4);
    expect(inside, `no moment well inside the silence ${silence.start.toFixed(1)}–${silence.end.toFixed(1)} s was played`).to.deep.equal([]);
    expect(el.currentTime).to.be.lessThan(silence.end + 1.5);
    // The time shown is the recording's own: past the silence's end, not the time listened.
    await waitFor(() => part(el, "time").textContent!.trim().startsWith(formatClock(el.currentTime)), "the time shown is where playback is");
    expect(part(el, "time").textContent!.trim().startsWith(formatClock(Math.floor(silence.end - 0.3)))).to.equal(true);
    el.pause();

    // Off again: a new player with the same preferences finds it off.
    await press("Enter");
    await waitFor(() => button.getAttribute("aria-pressed") === "false", "skip silence is off");
    expect((await preferences.loadPreferences()).skipSilence, "saved off").to.equal(false);
  });

  it("a new player remembers skip silence on", async () => {
    const { recording: r } = await serverRecording("alice", "c-alice");
    const preferences = memoryPreferenceStore();
    await preferences.savePreferences({ skipSilence: true });
    const el = await playerFixture({ recordings: [r], preferences });
    await waitFor(() => maybePart(el, "skip-silence-button")?.getAttribute("aria-pressed") === "true", "skip silence shows on");
    expect(el.skipSilence).to.equal(true);
  });
});

describe("call-session-recordings: a waveform on each bar", () => {
  afterEach(signOut);

  it("draws each recording's own waveform from the server's peaks", async () => {
    await signInAs("alice");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForSection(section, "ready");
    await waitFor(() => section.shadowRoot!.querySelectorAll('canvas[part~="recording-waveform"]').length === 2, "two bars with waveforms");
    const canvases = [...section.shadowRoot!.querySelectorAll<HTMLCanvasElement>('canvas[part~="recording-waveform"]')];
    await waitFor(() => canvases.every((c) => [...Array(20)].some((_, i) => columnAlpha(c, i / 20) > 0)), "both are drawn");
    expect(canvases.map((c) => c.dataset.recordingId)).to.deep.equal(section.call!.recordings.map((r) => r.id));
  });

  it("a two-channel recording shows each party on its own half, with who is where", async () => {
    const token = uniqueToken();
    const payload: CallPayload = {
      id: `c-stereo-${token}`,
      start: "2026-11-20T09:17:00Z",
      recordings: [
        {
          id: `r-stereo-${token}`,
          start: "2026-11-20T09:17:02Z",
          durationSeconds: 6,
          audioUrl: new URL(`/recording-files/call-stereo.wav?token=${token}`, location.href).href,
          peaksUrl: new URL("/test/fixtures/peaks/two-parties.json", location.href).href,
          channels: [{ label: "Agent: Alice Jones" }, { label: "Caller: Grace Hopper" }],
          participants: [{ name: "Alice Jones" }],
        },
      ],
    };
    const { section } = await sessionFixture({ source: { baseUrl: location.href, getCall: async () => payload } });
    section.callId = payload.id;
    await waitForSection(section, "ready");
    await waitFor(() => section.shadowRoot!.querySelector('canvas[part~="recording-waveform"]') !== null, "the bar's waveform");
    const canvas = section.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~="recording-waveform"]')!;
    await waitFor(() => columnAlpha(canvas, 0.2) > 0, "drawn");
    // The fixture: the agent talks 0–2.5 s (top half), the caller 3–6 s (bottom half).
    expect(columnAlpha(canvas, 1 / 6, 0, 0.5), "agent talking: top").to.be.greaterThan(0);
    expect(columnAlpha(canvas, 1 / 6, 0.5, 1), "agent talking: bottom blank").to.equal(0);
    expect(columnAlpha(canvas, 4.5 / 6, 0, 0.5), "caller talking: top blank").to.equal(0);
    expect(columnAlpha(canvas, 4.5 / 6, 0.5, 1), "caller talking: bottom").to.be.greaterThan(0);
    const legend = [...section.shadowRoot!.querySelectorAll('[part~="waveform-legend"]')];
    expect(legend.map((l) => l.textContent!.trim())).to.deep.equal(["Agent", "Caller"]);
    expect(legend.map((l) => l.getAttribute("title"))).to.deep.equal(["Top half: Agent: Alice Jones", "Bottom half: Caller: Grace Hopper"]);
    expect(await axeViolations(section)).to.deep.equal([]);
  });
});
