import { expect } from "@open-wc/testing";
import type { CallPayload } from "../../components/call-session-recordings/call-session-recordings.js";
import { HOSTILE } from "../support/session-dataset.js";
import { HOSTILE_IDS, HOSTILE_TEXT } from "../support/hostile-dataset.js";
import { parts, readable, removeCreatedPlayers, sessionFixture, signInAs, sourceOf, waitFor, waitForStatus } from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

/** Where an element sits across its plot, as fractions: [left, right]. */
function across(element: HTMLElement): [number, number] {
  const plot = element.closest(".plot")!.getBoundingClientRect();
  const rect = element.getBoundingClientRect();
  return [(rect.left - plot.left) / plot.width, (rect.right - plot.left) / plot.width];
}

/** Which lane an element sits in, by its vertical middle. */
function laneOf(element: HTMLElement, laneCount: number): number {
  const plot = element.closest(".plot")!.getBoundingClientRect();
  const rect = element.getBoundingClientRect();
  return Math.floor((((rect.top + rect.bottom) / 2 - plot.top) / plot.height) * laneCount);
}

describe("call-session-recordings timeline", () => {
  afterEach(removeCreatedPlayers);

  it("draws a transferred call: a lane per party, a bar per recorded segment on its lane, the transfers between them", async () => {
    await signInAs("admin");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    const labels = parts(section, "lane-label").map(readable);
    expect(labels).to.deep.equal(["Not answered queue or IVR", "Bob Tester Bob's desk · Sales", "Alice Tester Alice's desk · Sales"]);

    const bars = parts(section, "recording-bar");
    expect(bars.map(readable)).to.deep.equal(["Segment 2 · 1:30", "Segment 3 · 2:00"]);
    expect(bars.map((b) => laneOf(b, 3))).to.deep.equal([1, 2]);
    // The call runs 11:00:00–11:04:00: Bob 0:30–2:00, Alice 2:00–4:00.
    const [bobLeft, bobRight] = across(bars[0]!);
    const [aliceLeft, aliceRight] = across(bars[1]!);
    expect(bobLeft).to.be.closeTo(30 / 240, 0.01);
    expect(bobRight).to.be.closeTo(120 / 240, 0.01);
    expect(aliceLeft).to.be.closeTo(120 / 240, 0.01);
    expect(aliceRight).to.be.closeTo(1, 0.01);

    // The queue's segment was not recorded: drawn, hatched, without a bar.
    const segments = parts(section, "segment");
    expect(segments).to.have.length(1);
    expect(segments[0]!.classList.contains("unrecorded")).to.equal(true);
    expect(laneOf(segments[0]!, 3)).to.equal(0);

    const transfers = parts(section, "transfer");
    expect(transfers).to.have.length(2);
    expect(across(transfers[0]!)[0]).to.be.closeTo(30 / 240, 0.01);
    expect(across(transfers[1]!)[0]).to.be.closeTo(120 / 240, 0.01);

    expect(parts(section, "tick").map(readable)).to.include.members(["0:00", "1:00", "2:00", "3:00", "4:00"]);
    const summary = parts(section, "summary")[0]!;
    expect(readable(summary.querySelector('[aria-hidden="true"]'))).to.equal("2 recordings · 3:30 in all");
    expect(readable(summary.querySelector(".visually-hidden"))).to.equal("2 recordings, 3 minutes 30 seconds in all");
  });

  it("labels a narrow axis so that no two labels run into each other, and a wide one at every line", async () => {
    await signInAs("admin");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    /** The labels a user sees, left to right, with where they start and end. */
    const shown = () =>
      parts(section, "tick")
        .filter((t) => getComputedStyle(t).visibility !== "hidden")
        .map((t) => ({ text: readable(t), left: t.getBoundingClientRect().left, right: t.getBoundingClientRect().right }));
    const apart = (labels: { left: number; right: number }[]) => labels.every((l, i) => i === 0 || l.left >= labels[i - 1]!.right);

    section.parentElement!.style.width = "1000px";
    await waitFor(() => shown().length === 9, "every line labelled when wide");
    expect(apart(shown()), JSON.stringify(shown())).to.equal(true);

    section.parentElement!.style.width = "360px";
    await waitFor(() => shown().length < 9, "fewer labels when narrow");
    expect(shown().map((l) => l.text)).to.deep.equal(["0:00", "1:00", "2:00", "3:00", "4:00"]);
    expect(apart(shown()), JSON.stringify(shown())).to.equal(true);
  });

  it("draws a conference: each participant on a lane, one recording spanning them all", async () => {
    await signInAs("admin");
    const { section } = await sessionFixture({ callId: "c-conference" });
    await waitForStatus(section, "ready");
    // The conference's own lane on top names its recording; then a lane per participant.
    expect(parts(section, "lane-label").map(readable)).to.deep.equal([
      "Conference recording 3 participants",
      "Frank Tester Frank's desk · Billing",
      "Carol Tester Support",
      "Alice Tester Alice's desk · Sales",
    ]);
    const [bar, ...more] = parts(section, "recording-bar");
    expect(more).to.have.length(0);
    expect(bar!.classList.contains("spanning")).to.equal(true);
    const plot = bar!.closest(".plot")!.getBoundingClientRect();
    const rect = bar!.getBoundingClientRect();
    expect(rect.height).to.be.greaterThan(plot.height * 0.9);
    expect(across(bar!)).to.satisfy(([l, r]: number[]) => l! < 0.01 && r! > 0.99);
    // Each participant's time in the conference, on their lane: Carol from 2:00, Alice 4:00–6:00.
    const segments = parts(section, "segment");
    expect(segments.map((s) => laneOf(s, 4))).to.deep.equal([1, 2, 3]);
    expect(across(segments[1]!)[0]).to.be.closeTo(0.2, 0.01);
    expect(across(segments[2]!)).to.satisfy(([l, r]: number[]) => Math.abs(l! - 0.4) < 0.01 && Math.abs(r! - 0.6) < 0.01);
    expect(parts(section, "transfer")).to.have.length(0);
    expect(readable(parts(section, "list-row")[0])).to.contain("Conference");
    expect(readable(parts(section, "list-row")[0])).to.contain("Frank Tester, Carol Tester, Alice Tester");
  });

  it("lists the same recordings: start, length, who, play and download", async () => {
    await signInAs("bob");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    section.timeZone = "UTC";
    await waitForStatus(section, "ready");
    const rows = parts(section, "list-row");
    expect(rows).to.have.length(2);
    const cells = rows.map((row) => [...row.querySelectorAll("th, td")].map(readable));
    expect(cells[0]!.slice(0, 2)).to.deep.equal(["Segment 2", "Bob Tester Bob's desk · Sales"]);
    expect(cells[1]!.slice(0, 2)).to.deep.equal(["Segment 3", "Alice Tester Alice's desk · Sales"]);
    // The start in the host's time zone (the browser's locale decides 11:00:30 or 11:00:30 AM).
    expect(cells[0]![2]).to.match(/^11:00:30\b/);
    expect(cells[1]![2]).to.match(/^11:02:00\b/);
    expect(rows[0]!.querySelector("time")!.getAttribute("datetime")).to.equal("2026-11-20T11:00:30.000Z");
    // Length for the eye, and in words for screen readers.
    expect(cells[0]![3]).to.equal("1:301 minute 30 seconds");
    expect(cells[1]![3]).to.equal("2:002 minutes");
    const links = parts<HTMLAnchorElement>(section, "download-link");
    expect(links.map((a) => new URL(a.href).pathname)).to.deep.equal(section.call!.recordings.map((r) => `/api/recordings/${r.id}/download`));
    expect(links.every((a) => a.hasAttribute("download"))).to.equal(true);
    const response = await fetch(links[0]!.href);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-disposition")).to.match(/^attachment/);
  });

  it("shows names and numbers from the API as text, whatever they contain", async () => {
    const w = window as unknown as { __crecXss?: number };
    delete w.__crecXss;
    await signInAs("mallory");
    const { section, player } = await sessionFixture({ callId: "c-hostile" });
    await waitForStatus(section, "ready");
    const root = section.shadowRoot!;
    expect(root.querySelectorAll("img, script, b, iframe")).to.have.length(0);
    const label = parts(section, "lane-label")[0]!;
    expect(label.querySelector(".who")!.textContent).to.equal(HOSTILE.user);
    expect(label.querySelector(".meta")!.textContent).to.equal(`${HOSTILE.device} · ${HOSTILE.group}`);
    const row = parts(section, "list-row")[0]!;
    expect(row.querySelector(".who")!.textContent).to.equal(HOSTILE.user);
    // Names sit in isolates, so the right-to-left override cannot reorder the words around them.
    expect(root.querySelectorAll("bdi").length).to.be.greaterThan(3);
    expect(parts(section, "play-button")[0]!.getAttribute("aria-label")).to.equal(`Play Segment 1, \u2068${HOSTILE.user}\u2069`);

    parts(section, "play-button")[0]!.click();
    await player.updateComplete;
    expect(player.callTitle).to.equal(`Inbound call from \u2068${HOSTILE.from}\u2069 to \u2068+441632960100\u2069`);
    expect(player.shadowRoot!.querySelectorAll("img, script, b")).to.have.length(0);
    expect(player.shadowRoot!.querySelector('[part="call-title"]')!.textContent).to.contain(HOSTILE.from);
    await nothingShouldHappenFor(200); // no script from the data may run
    expect(w.__crecXss).to.equal(undefined);
    player.pause();
  });

  it("shows every hostile string of the hostile dataset as text: lanes, list, buttons, player title and segment name", async () => {
    const w = window as unknown as { __crecXss?: unknown };
    delete w.__crecXss;
    const T = HOSTILE_TEXT;
    const at = (s: number) => new Date(Date.parse("2026-11-20T09:00:00Z") + s * 1000).toISOString();
    const party = (id: string, name: string) => ({ id, name });
    const call: CallPayload = {
      id: HOSTILE_IDS.call,
      start: at(0),
      end: at(90),
      direction: "inbound",
      from: T.from,
      to: T.to,
      conference: false,
      groups: [party(HOSTILE_IDS.groupA, T.groupA), party(HOSTILE_IDS.groupB, T.groupB)],
      segments: [
        { index: 0, start: at(0), end: at(30), user: party(HOSTILE_IDS.userA, T.userA), device: party(HOSTILE_IDS.deviceA, T.deviceA), group: party(HOSTILE_IDS.groupA, T.groupA) },
        { index: 1, start: at(30), end: at(60), user: party(HOSTILE_IDS.userC, T.userC), device: party(HOSTILE_IDS.deviceB, T.deviceB), group: party(HOSTILE_IDS.groupB, T.groupB) },
        { index: 2, start: at(60), end: at(90), user: party(HOSTILE_IDS.userD, T.userD), device: null, group: null },
      ],
      recordings: [0, 1, 2].map((i) => ({
        id: `${HOSTILE_IDS.call}-${i}`,
        segment: i,
        start: at(i * 30),
        end: at(i * 30 + 30),
        durationSeconds: 30,
        audioUrl: `/audio-fixture/hostile-${i}.wav?seconds=30&name=${encodeURIComponent(T.userD)}`,
      })),
    };
    const { section, player } = await sessionFixture({ callId: HOSTILE_IDS.call, source: sourceOf(() => call) });
    await waitForStatus(section, "ready");
    const root = section.shadowRoot!;
    const noMarkup = (where: ShadowRoot) => {
      expect(where.querySelectorAll("img, script, iframe, b, i, u, h1, table table"), "no element from the data").to.have.length(0);
      for (const el of where.querySelectorAll("*")) for (const attr of el.attributes) expect(attr.name, `<${el.localName}> has ${attr.name}`).to.not.match(/^on/);
    };
    noMarkup(root);
    const lanes = parts(section, "lane-label").map((l) => [l.querySelector(".who")!.textContent, l.querySelector(".meta")?.textContent ?? ""]);
    expect(lanes).to.deep.equal([
      [T.userA, `${T.deviceA} · ${T.groupA}`],
      [T.userC, `${T.deviceB} · ${T.groupB}`],
      [T.userD, ""],
    ]);
    expect(parts(section, "list-row").map((row) => row.querySelector(".who")!.textContent)).to.deep.equal([T.userA, T.userC, T.userD]);
    expect(parts(section, "play-button").map((b) => b.getAttribute("aria-label"))).to.deep.equal([
      `Play Segment 1, \u2068${T.userA}\u2069`,
      `Play Segment 2, \u2068${T.userC}\u2069`,
      `Play Segment 3, \u2068${T.userD}\u2069`,
    ]);

    parts(section, "play-button")[1]!.click();
    await waitFor(() => player.currentIndex === 1 && !player.paused, "the second recording playing");
    await player.updateComplete;
    noMarkup(player.shadowRoot!);
    expect(player.shadowRoot!.querySelector('[part="call-title"]')!.textContent).to.contain(`from \u2068${T.from}\u2069 to \u2068${T.to}\u2069`);
    expect(player.shadowRoot!.querySelector('[part="segment-name"]')!.textContent).to.contain(T.userC);
    expect(player.currentRecording!.title).to.equal(`Segment 2 · \u2068${T.userC}\u2069`);
    await nothingShouldHappenFor(200); // no script from the data may run
    expect(w.__crecXss, "no script from the data ran").to.equal(undefined);
    player.pause();
  });
});
