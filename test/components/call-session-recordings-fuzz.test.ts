/**
 * Answers mutated at random, fed to `<call-session-recordings>` through its `source`: real
 * answers of the reference server (a transfer, a conference, a call whose names are hostile),
 * each mutated one to four times by test/support/payload-mutations.ts. Every case must end in
 * the ready state drawn whole, the error state with Retry, or nothing at all (no recordings);
 * never an uncaught exception or unhandled rejection, never a link that is not http(s), never
 * a NaN on the screen, never a polluted prototype. Seeded: a failure names the run's seed and
 * the case's seed and mutations, and `mutateCase(base, seed)` replays it.
 */
import { expect } from "@open-wc/testing";
import type { CallSessionRecordings, CallSource } from "../../components/call-session-recordings/call-session-recordings.js";
import { caseSeeds, isWebUrl, mutateCase } from "../support/payload-mutations.js";
import { parts, readable, removeCreatedPlayers, sessionFixture, signInAs, waitFor } from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

const RUN_SEED = 20261207;
const CASES = 300;
const BASE_CALLS = ["c-transfer", "c-conference", "c-hostile"];
/** Cases whose first recording is then played, to check what reaches the player too. */
const PLAYED = 12;

const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "ping"];

/** Everything wrong with the rendered section (and its player), as sentences; empty when all is well. */
function problemsIn(root: ShadowRoot | null): string[] {
  if (!root) return [];
  const problems: string[] = [];
  for (const el of root.querySelectorAll("*")) {
    const tag = el.localName;
    if (["script", "iframe", "object", "embed", "img", "frame", "base", "meta", "link"].includes(tag)) problems.push(`a <${tag}> element`);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) problems.push(`an ${attr.name} attribute on <${tag}>`);
      if (URL_ATTRIBUTES.includes(attr.name) && !isWebUrl(attr.value, location.href)) problems.push(`<${tag} ${attr.name}="${attr.value.slice(0, 60)}">`);
      if (/^\s*(javascript|vbscript|data)\s*:/i.test(attr.value)) problems.push(`<${tag} ${attr.name}="${attr.value.slice(0, 60)}">`);
      if (attr.name === "style" && /NaN|Infinity|undefined/.test(attr.value)) problems.push(`<${tag} style="${attr.value.slice(0, 80)}">`);
    }
  }
  for (const tick of root.querySelectorAll('[part~="tick"]')) {
    if (!/^\d+(:\d\d)+$/.test(readable(tick))) problems.push(`an axis label "${readable(tick)}"`);
  }
  const text = root.textContent ?? "";
  for (const junk of ["[object Object]", "[native code]", "--:--"]) if (text.includes(junk)) problems.push(`"${junk}" on the screen`);
  return problems;
}

describe("call-session-recordings with mutated answers", () => {
  const uncaught: string[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(`error: ${String(event.error ?? event.message)}`);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(`unhandled rejection: ${String(event.reason)}`);
  const warn = console.warn;

  beforeEach(() => {
    addEventListener("error", onError);
    addEventListener("unhandledrejection", onRejection);
  });
  afterEach(() => {
    removeEventListener("error", onError);
    removeEventListener("unhandledrejection", onRejection);
    console.warn = warn;
    removeCreatedPlayers();
  });

  it(`ends every one of ${CASES} mutated answers drawn whole, in an error with Retry, or in nothing`, async function () {
    this.timeout(120_000);
    await signInAs("admin");
    const bases: unknown[] = [];
    for (const id of BASE_CALLS) {
      const response = await fetch(`/api/calls/${id}`);
      expect(response.status, id).to.equal(200);
      bases.push(await response.json());
    }
    const { section, player } = await sessionFixture();
    const outcomes = { ready: 0, error: 0, empty: 0 };
    let played = 0;
    let warnings = 0;
    // Each refused answer is logged as a warning; hundreds of them would bury the report.
    console.warn = () => void warnings++;

    for (const [i, seed] of caseSeeds(RUN_SEED, CASES).entries()) {
      const base = bases[i % bases.length] as { id: string };
      const mutated = mutateCase(base, seed);
      const label = `case ${i} (run seed ${RUN_SEED}, case seed ${seed}, from ${base.id}): ${mutated.steps.join("; ")}`;
      uncaught.length = 0;
      const source: CallSource = { getCall: () => Promise.resolve(mutated.payload as never) };
      section.source = source;
      section.callId = base.id;
      await section.updateComplete;
      await waitFor(() => section.status !== "loading", `${label}: settles`);
      await section.updateComplete;
      await nothingShouldHappenFor(0); // anything thrown later by what the answer set off

      const status = section.status as CallSessionRecordings["status"];
      expect(["ready", "error", "empty"], label).to.include(status);
      outcomes[status as keyof typeof outcomes]++;
      expect(uncaught, label).to.deep.equal([]);
      expect(({} as Record<string, unknown>).polluted, `${label}: Object.prototype polluted`).to.equal(undefined);
      expect(problemsIn(section.shadowRoot), label).to.deep.equal([]);

      if (status === "ready") {
        const call = section.call!;
        expect(parts(section, "recording-bar"), `${label}: a bar per recording`).to.have.length(call.recordings.length);
        expect(parts(section, "list-row"), `${label}: a row per recording`).to.have.length(call.recordings.length);
        for (const r of section.recordings) {
          expect(isWebUrl(r.src, location.href) && isWebUrl(r.downloadUrl!, location.href), `${label}: the player gets web links only`).to.equal(true);
        }
        const first = section.recordings[0]!;
        if (played < PLAYED && new URL(first.src, location.href).origin === location.origin) {
          played++;
          section.playRecording(0, 0);
          await player.updateComplete;
          await waitFor(() => player.currentRecording?.id === first.id, `${label}: the player takes the recording`);
          expect(problemsIn(player.shadowRoot), `${label}: the player`).to.deep.equal([]);
          expect(player.callTitle.includes("[native code]"), `${label}: the player's title`).to.equal(false);
          player.pause();
        }
      } else if (status === "error") {
        expect(readable(parts(section, "status")[0]), label).to.match(/could not be (read|loaded)|error \d+/);
        expect(parts(section, "retry-button"), `${label}: Retry`).to.have.length(1);
      } else {
        expect(section.getBoundingClientRect().height, `${label}: nothing takes room`).to.equal(0);
      }
    }
    console.warn = warn;
    console.log(`API answer fuzz: ${CASES} mutated answers (run seed ${RUN_SEED}): ${outcomes.ready} drawn whole (${played} played), ${outcomes.error} refused with Retry, ${outcomes.empty} empty; ${warnings} warnings, no exception`);
    // Both ways out are exercised: answers that still hold together, and answers that do not.
    expect(outcomes.ready, "some mutated answers still draw").to.be.greaterThan(CASES / 20);
    expect(outcomes.error, "most mutated answers are refused").to.be.greaterThan(CASES / 2);
  });
});
