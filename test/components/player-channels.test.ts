/**
 * Issue 13, point 4, the player's half: a recording whose two channels hold named parties (the
 * agent left, the caller right) gets a control to hear one party alone or set the balance
 * between them, named by party. The fixture has a 440 Hz tone on its left channel and 1000 Hz on
 * its right (test/fixtures/recordings/call-stereo.wav), so an analyser on the mixed output tells
 * which party is heard. A recording without named channels shows no control.
 */
import { expect } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import type { MediaElementEngine } from "../../src/player/media-element-engine.js";
import type { PlayerRecording } from "../../src/player/player-state.js";
import { axeViolations, click, deepActiveElement, maybePart, part, playerFixture, press, recording, uniqueToken, waitFor, waitForStatus } from "../support/player-test-helpers.js";

const AGENT = "Agent: Alice Jones";
const CALLER = "Caller: +441632960001";

function stereo(token: string, channels: string[] | null = [AGENT, CALLER]): PlayerRecording {
  const src = `/recording-files/call-stereo.wav?token=${token}`;
  return { id: `stereo-${token}`, src, title: "Segment 1 · Alice Jones", ...(channels ? { channels } : {}) };
}

const buttons = (el: RecordingPlayer) => [...part(el, "channels").querySelectorAll("button")];
const pressed = (el: RecordingPlayer) => buttons(el).map((b) => b.getAttribute("aria-pressed"));
const mixOf = (el: RecordingPlayer) => el.engine.state.channelMix ?? { left: 1, right: 1 };

/**
 * The level of the mixed output at each tone's frequency, in dB: the median over five analyser
 * windows that do not overlap, taken once the gains have taken effect. One window alone can hold a
 * glitch of the audio stream on a busy machine (a click sounds at every frequency); the median is
 * what a listener hears.
 */
async function levels(el: RecordingPlayer): Promise<{ agent: number; caller: number }> {
  const graph = await (el.engine as MediaElementEngine).channelMixGraph();
  if (!graph) throw new Error("no channel mix graph");
  const analyser = graph.context.createAnalyser();
  analyser.fftSize = 4096;
  analyser.smoothingTimeConstant = 0;
  graph.output.connect(analyser);
  const data = new Float32Array(analyser.frequencyBinCount);
  const windowMs = (1000 * analyser.fftSize) / graph.context.sampleRate;
  const level = (hz: number) => {
    const bin = Math.round((hz * analyser.fftSize) / graph.context.sampleRate);
    return Math.max(data[bin - 1]!, data[bin]!, data[bin + 1]!);
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const agent: number[] = [];
  const caller: number[] = [];
  try {
    // The recording lasts 6 s, and a busy machine can take that long over the clicks before a
    // measurement: each one hears it from its start, with the mix as chosen.
    el.seekTo(0);
    if (el.paused) void el.play();
    await waitFor(() => el.status === "playing" && el.currentTime < 4, `playing from the start (${el.status} at ${el.currentTime.toFixed(2)})`);
    // A few analyser frames after the change, so the gains have taken effect; then a window each
    // time the analyser holds only samples the previous one did not.
    let next = performance.now() + 400;
    await waitFor(() => {
      if (performance.now() < next) return false;
      analyser.getFloatFrequencyData(data);
      if (Math.max(level(440), level(1000)) <= -60) return false;
      agent.push(level(440));
      caller.push(level(1000));
      next = performance.now() + windowMs + 10;
      return agent.length === 5;
    }, "the mixed output carries sound");
    return { agent: median(agent), caller: median(caller) };
  } finally {
    graph.output.disconnect(analyser);
  }
}

describe("recording-player: two-channel recordings", () => {
  it("shows no channel control for a recording without named channels", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [stereo(token, null), recording(`mono-${token}`, { seconds: 4 })] });
    await waitForStatus(el, "ready");
    expect(maybePart(el, "channels") === null, "no channels part").to.equal(true);
    expect(maybePart(el, "balance") === null, "no balance part").to.equal(true);
  });

  it("names the parties, and hearing one alone silences the other channel", async function () {
    // Three measures of five analyser windows each, on a machine that may be busy.
    this.timeout(60_000);
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [stereo(token)] });
    await waitForStatus(el, "ready");
    expect(buttons(el).map((b) => b.textContent!.trim())).to.deep.equal(["Both", "Agent", "Caller"]);
    expect(buttons(el).map((b) => b.getAttribute("aria-label"))).to.deep.equal([`Both parties: ${AGENT} and ${CALLER}`, `${AGENT} only`, `${CALLER} only`]);
    expect(part(el, "channels").getAttribute("role")).to.equal("group");
    expect(part(el, "balance").getAttribute("aria-label")).to.equal(`Balance from ${AGENT} to ${CALLER}`);
    expect(pressed(el)).to.deep.equal(["true", "false", "false"]);
    // Until the user picks, nothing goes through Web Audio.
    expect((await (el.engine as MediaElementEngine).channelMixGraph()) === null, "no graph yet").to.equal(true);

    el.play();
    await waitForStatus(el, "playing");
    await click(buttons(el)[1]!);
    await waitFor(() => pressed(el)[1] === "true", "Agent only is pressed");
    expect(mixOf(el)).to.deep.equal({ left: 1, right: 0 });
    const agentOnly = await levels(el);
    expect(agentOnly.agent, `agent ${agentOnly.agent} dB`).to.be.greaterThan(-50);
    expect(agentOnly.agent - agentOnly.caller, JSON.stringify(agentOnly)).to.be.greaterThan(40);

    await click(buttons(el)[2]!);
    await waitFor(() => pressed(el)[2] === "true", "Caller only is pressed");
    expect(mixOf(el)).to.deep.equal({ left: 0, right: 1 });
    const callerOnly = await levels(el);
    expect(callerOnly.caller - callerOnly.agent, JSON.stringify(callerOnly)).to.be.greaterThan(40);

    await click(buttons(el)[0]!);
    await waitFor(() => pressed(el)[0] === "true", "Both is pressed");
    const both = await levels(el);
    expect(Math.abs(both.agent - both.caller), JSON.stringify(both)).to.be.lessThan(10);
    expect(el.status).to.equal("playing");
  });

  it("is keyboard-operable: the buttons with Enter and Space, the balance with the arrows, Home and End", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [stereo(token)] });
    await waitForStatus(el, "ready");
    buttons(el)[2]!.focus();
    await press("Enter");
    await waitFor(() => pressed(el)[2] === "true", "Caller only is pressed");
    buttons(el)[0]!.focus();
    await press(" ");
    await waitFor(() => pressed(el)[0] === "true", "Both is pressed");

    const balance = part<HTMLInputElement>(el, "balance");
    balance.focus();
    expect(deepActiveElement() === balance, "the balance has focus").to.equal(true);
    const before = el.currentTime;
    await press("ArrowRight");
    await waitFor(() => mixOf(el).left < 1, "the balance moved towards the caller");
    expect(mixOf(el)).to.deep.equal({ left: 0.9, right: 1 });
    expect(balance.getAttribute("aria-valuetext")).to.equal(`towards ${CALLER}: ${AGENT} at 90 percent`);
    // The arrows moved the balance, not the playing position.
    expect(el.currentTime).to.equal(before);
    await press("Home");
    await waitFor(() => pressed(el)[1] === "true", "Home: the agent alone");
    expect(mixOf(el)).to.deep.equal({ left: 1, right: 0 });
    expect(balance.getAttribute("aria-valuetext")).to.equal(`${AGENT} only`);
    await press("End");
    await waitFor(() => pressed(el)[2] === "true", "End: the caller alone");
  });

  it("starts the next recording with both parties heard, and hides the control for one without channels", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [stereo(token), recording(`mono-${token}`, { seconds: 4 })] });
    await waitForStatus(el, "ready");
    await click(buttons(el)[1]!);
    await waitFor(() => mixOf(el).right === 0, "agent only");
    el.playRecording(1);
    await waitFor(() => el.currentIndex === 1, "the second recording");
    await el.updateComplete;
    expect(maybePart(el, "channels") === null, "no channels part").to.equal(true);
    expect(mixOf(el)).to.deep.equal({ left: 1, right: 1 });
  });

  it("has no axe violations with the control shown, and after picking a party", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [stereo(token)] });
    await waitForStatus(el, "ready");
    let violations = await axeViolations(el);
    expect(violations, violations.join("\n")).to.deep.equal([]);
    await click(buttons(el)[1]!);
    await waitFor(() => pressed(el)[1] === "true", "Agent only is pressed");
    violations = await axeViolations(el);
    expect(violations, violations.join("\n")).to.deep.equal([]);
  });
});
