import { expect, oneEvent } from "@open-wc/testing";
import { CallLoadError } from "../../components/call-session-recordings/call-session-recordings.js";
import {
  callPayload,
  onePart,
  parts,
  readable,
  removeCreatedPlayers,
  sessionFixture,
  signInAs,
  signOut,
  sourceOf,
  waitFor,
  waitForStatus,
} from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

describe("call-session-recordings states", () => {
  afterEach(removeCreatedPlayers);

  it("says it is loading when the answer takes a while, then shows the call", async () => {
    const source = sourceOf(() => callPayload("c-slow"), 900);
    const { section } = await sessionFixture({ callId: "c-slow", source });
    expect(section.status).to.equal("loading");
    expect(section.getAttribute("status")).to.equal("loading");
    // No flash for a quick answer: nothing is said in the first moments.
    expect(readable(onePart(section, "status"))).to.equal("");
    await waitFor(() => readable(section.shadowRoot!.querySelector('[part="status"]')) === "Loading recordings…", "the loading message");
    expect(onePart(section, "status").getAttribute("role")).to.equal("status");
    const loaded = oneEvent(section, "crec-loaded");
    expect((await loaded).detail).to.deep.equal({ callId: "c-slow", recordings: 2 });
    await waitForStatus(section, "ready");
    expect(parts(section, "recording-bar")).to.have.length(2);
    expect(section.shadowRoot!.querySelector('[part="status"]')).to.equal(null);
  });

  it("shows the call's recordings from the real server for a user who may play them", async () => {
    await signInAs("alice");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    expect(section.call!.recordings.map((r) => r.segment)).to.deep.equal([1, 2]);
    expect(section.getBoundingClientRect().height).to.be.greaterThan(100);
  });

  it("renders nothing and says so with crec-empty when the user may play none of the call's recordings", async () => {
    await signInAs("carol");
    const { section } = await sessionFixture();
    const empty = oneEvent(section, "crec-empty");
    section.callId = "c-transfer";
    expect((await empty).detail).to.deep.equal({ callId: "c-transfer", reason: "no-recordings" });
    await waitForStatus(section, "empty");
    expect(section.getBoundingClientRect().height).to.equal(0);
    expect(getComputedStyle(section).display).to.equal("none");
    expect(section.shadowRoot!.children.length === 0 || section.shadowRoot!.querySelector("section") === null).to.equal(true);
  });

  it("renders nothing for a user without the playback permission, or for a call that was not recorded", async () => {
    await signInAs("erin");
    const { section } = await sessionFixture({ callId: "c-alice" });
    await waitForStatus(section, "empty");
    await signInAs("admin");
    section.callId = "c-abandoned";
    await waitForStatus(section, "empty");
    expect(section.getBoundingClientRect().height).to.equal(0);
  });

  it("renders nothing for a call the server does not know, with reason not-found", async () => {
    await signInAs("admin");
    const { section } = await sessionFixture();
    const empty = oneEvent(section, "crec-empty");
    section.callId = "c-no-such-call";
    expect((await empty).detail.reason).to.equal("not-found");
  });

  it("shows an error with a retry, and the retry loads the call", async () => {
    await signOut();
    const { section } = await sessionFixture();
    const failed = oneEvent(section, "crec-load-error");
    section.callId = "c-alice";
    const detail = (await failed).detail;
    expect(detail.kind).to.equal("unauthorized");
    expect(detail.status).to.equal(401);
    await waitForStatus(section, "error");
    const status = onePart(section, "status");
    expect(status.getAttribute("role")).to.equal("alert");
    expect(readable(status)).to.contain("Sign in again");
    await signInAs("alice");
    onePart(section, "retry-button").click();
    await waitForStatus(section, "ready");
    expect(parts(section, "recording-bar")).to.have.length(1);
  });

  it("says what went wrong when a host's source fails, and retries it", async () => {
    let fail = true;
    const source = sourceOf(() => {
      if (fail) throw new CallLoadError("status", "GET /x answered 503", { status: 503 });
      return callPayload("c-flaky", 1);
    });
    const { section } = await sessionFixture({ callId: "c-flaky", source });
    await waitForStatus(section, "error");
    expect(readable(onePart(section, "status"))).to.contain("error 503");
    fail = false;
    onePart(section, "retry-button").click();
    await waitForStatus(section, "ready");
    expect(source.calls).to.deep.equal(["c-flaky", "c-flaky"]);
  });

  it("cancels a stale load when call-id changes: only the newest call is shown", async () => {
    const signals: AbortSignal[] = [];
    const releases = new Map<string, () => void>();
    const source = {
      getCall(callId: string, { signal }: { signal: AbortSignal }) {
        signals.push(signal);
        // The first call answers late and ignores the abort, as a careless host's might.
        return new Promise<ReturnType<typeof callPayload>>((resolve) => releases.set(callId, () => resolve(callPayload(callId, callId === "c-first" ? 3 : 1))));
      },
    };
    const { section } = await sessionFixture({ callId: "c-first", source });
    await waitFor(() => releases.has("c-first"), "the first load");
    section.callId = "c-second";
    await waitFor(() => releases.has("c-second"), "the second load");
    expect(signals[0]!.aborted).to.equal(true);
    expect(signals[1]!.aborted).to.equal(false);
    releases.get("c-second")!();
    await waitForStatus(section, "ready");
    releases.get("c-first")!();
    await nothingShouldHappenFor(50); // the stale load must not replace the newer call
    await section.updateComplete;
    expect(section.call!.id).to.equal("c-second");
    expect(parts(section, "recording-bar")).to.have.length(1);
  });

  it("a call-id removed goes back to rendering nothing", async () => {
    const { section } = await sessionFixture({ callId: "c-one", source: sourceOf(() => callPayload("c-one", 1)) });
    await waitForStatus(section, "ready");
    section.removeAttribute("call-id");
    await waitForStatus(section, "idle");
    expect(section.getBoundingClientRect().height).to.equal(0);
  });
});
