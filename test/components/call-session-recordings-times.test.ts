import { expect } from "@open-wc/testing";
import type { CallSessionRecordings } from "../../components/call-session-recordings/call-session-recordings.js";
import { parts, readable, removeCreatedPlayers, sessionFixture, signInAs, waitForStatus } from "../support/session-test-helpers.js";

/** The Start column as a person reads it: its heading, and each row's time. */
function startColumn(section: CallSessionRecordings): { heading: string; times: string[] } {
  const table = parts(section, "list")[0]!;
  const headings = [...table.querySelectorAll("thead th")].map(readable);
  const column = headings.findIndex((h) => h.startsWith("Start"));
  return {
    heading: headings[column] ?? "",
    times: parts(section, "list-row").map((row) => readable(row.querySelectorAll("th, td")[column])),
  };
}

describe("call-session-recordings: the Start column in the site's time zone and clock", () => {
  beforeEach(() => signInAs("bob"));
  afterEach(removeCreatedPlayers);

  // The call's recordings start at 11:00:30 and 11:02:00 UTC.
  it("shows the times in the zone it is given, on a 24-hour clock, and names the zone", async () => {
    const { section } = await sessionFixture();
    section.setAttribute("time-zone", "UTC");
    section.setAttribute("time-format", "24h");
    section.callId = "c-transfer";
    await waitForStatus(section, "ready");
    expect(startColumn(section)).to.deep.equal({ heading: "Start (UTC)", times: ["11:00:30", "11:02:00"] });

    // Half an hour off the hour, in the afternoon: still 24-hour, still named.
    section.timeZone = "Asia/Kolkata";
    await section.updateComplete;
    expect(startColumn(section)).to.deep.equal({ heading: "Start (Asia/Kolkata)", times: ["16:30:30", "16:32:00"] });
  });

  it("shows a 12-hour clock when told, in a zone named as people write it", async () => {
    const { section } = await sessionFixture();
    section.setAttribute("time-zone", "America/New_York");
    section.setAttribute("time-format", "12h");
    section.callId = "c-transfer";
    await waitForStatus(section, "ready");
    const { heading, times } = startColumn(section);
    expect(heading).to.equal("Start (America/New York)");
    // The locale writes the day period ("AM", "a.m.", ...); the hour has no leading zero.
    expect(times).to.have.length(2);
    expect(times[0]).to.match(/^6:00:30\s*\S/);
    expect(times[1]).to.match(/^6:02:00\s*\S/);
  });

  it("names the zone it fell back to when the one given is unknown", async () => {
    const { section } = await sessionFixture();
    section.setAttribute("time-zone", "Mars/Olympus");
    section.setAttribute("time-format", "24h");
    section.callId = "c-transfer";
    await waitForStatus(section, "ready");
    const browserZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const { heading } = startColumn(section);
    expect(heading).to.not.contain("Mars");
    expect(heading).to.match(/^Start \(.+\)$/);
    if (browserZone === "UTC" || browserZone === "Etc/UTC") expect(heading).to.equal("Start (UTC)");
    else expect(heading).to.equal(`Start (${browserZone.replace(/_/g, " ")})`);
  });
});
