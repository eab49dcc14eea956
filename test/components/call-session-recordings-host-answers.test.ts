/**
 * What a host's `CallSource` answers, as a host developer meets it: a recording in a format
 * nothing here plays (AMR-NB, served from the committed file with its real header) is offered as
 * a download, not a Play button; a time without a UTC offset is refused with the field's path.
 */
import { expect } from "@open-wc/testing";
import { axeViolations, callPayload, onePart, parts, readable, removeCreatedPlayers, sessionFixture, sourceOf, waitFor, waitForStatus } from "../support/session-test-helpers.js";

const token = () => `host-${Math.random().toString(36).slice(2)}`;
const file = (name: string, t: string) => `/recording-files/${name}?token=${t}`;

/** A two-segment call: the first recorded as AMR-NB (as the API announces it), the second as µ-law WAV. */
function amrThenWav(t: string): unknown {
  const call = callPayload("c-formats", 2) as unknown as { recordings: Record<string, unknown>[] };
  const [first, second] = call.recordings;
  return {
    ...call,
    recordings: [
      { ...first, durationSeconds: 6, audioUrl: file("call.amr", t), downloadUrl: `${file("call.amr", t)}&download=1`, contentType: "audio/amr" },
      { ...second, durationSeconds: 6, audioUrl: file("call-mulaw.wav", t), downloadUrl: `${file("call-mulaw.wav", t)}&download=1`, contentType: "audio/wav" },
    ],
  };
}

describe("call-session-recordings with what a host's source answers", () => {
  afterEach(() => removeCreatedPlayers());

  it("offers a recording nothing here plays as a download, and plays the others", async () => {
    const t = token();
    const { section, player } = await sessionFixture();
    section.source = sourceOf(() => amrThenWav(t));
    section.callId = "c-formats";
    await waitForStatus(section, "ready");

    const [amrRow, wavRow] = parts(section, "list-row");
    expect(amrRow!.querySelector('[part~="play-button"]'), "no Play button for AMR-NB").to.equal(null);
    expect(readable(amrRow!.querySelector('[part~="not-playable"]'))).to.equal("Can't play in the browser");
    const amrDownload = amrRow!.querySelector<HTMLAnchorElement>('[part~="download-link"]')!;
    expect(amrDownload.href).to.equal(new URL(`${file("call.amr", t)}&download=1`, location.href).href);
    expect(amrDownload.getAttribute("aria-label")).to.match(/^Download Segment 1, .*Person 1.* \(it can't play in the browser\)$/);
    // The file behind the link is the AMR recording itself.
    const answer = await fetch(amrDownload.href);
    expect(answer.status).to.equal(200);
    expect(String.fromCharCode(...new Uint8Array(await answer.arrayBuffer()).slice(0, 6))).to.equal("#!AMR\n");

    expect(wavRow!.querySelector('[part~="not-playable"]')).to.equal(null);
    const play = wavRow!.querySelector<HTMLButtonElement>('[part~="play-button"]')!;
    expect(play.getAttribute("aria-label")).to.match(/^Play Segment 2, /);
    expect(await axeViolations(section)).to.deep.equal([]);

    play.click();
    await waitFor(() => player.currentIndex === 1 && !player.paused && player.currentTime > 0.3, `the WAV playing (player at ${player.currentIndex}, ${player.currentTime} s, ${player.status})`);
    player.pause();
  });

  it("refuses a time without a UTC offset, naming the field for the developer, instead of reading it in the browser's zone", async () => {
    const errors: { kind: string; message: string }[] = [];
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
      warn.apply(console, args);
    };
    try {
      const { section } = await sessionFixture();
      section.addEventListener("crec-load-error", (e) => errors.push({ kind: e.detail.kind, message: e.detail.message }));
      const call = callPayload("c-zoneless", 2) as unknown as { segments: Record<string, unknown>[] };
      section.source = sourceOf(() => ({ ...call, segments: [{ ...call.segments[0], start: "2026-11-20 09:00:00" }, call.segments[1]] }));
      section.callId = "c-zoneless";
      await waitForStatus(section, "error");
      expect(errors).to.have.length(1);
      expect(errors[0]!.kind).to.equal("malformed");
      expect(warnings.filter((w) => w.startsWith("call recordings:"))).to.deep.equal([
        'call recordings: call c-zoneless: call.segments[0].start: "2026-11-20 09:00:00" has no UTC offset; give one with Z or an offset, like "2026-11-20T09:14:03Z"',
      ]);
      expect(readable(onePart(section, "status"))).to.equal("The server's answer about this call's recordings could not be read. Retry");
      expect(parts(section, "recording-bar")).to.have.length(0);
    } finally {
      console.warn = warn;
    }
  });
});
