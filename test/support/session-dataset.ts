/**
 * The dataset the recordings-section tests run the real server with: the fixture dataset
 * (test/support/fixture-dataset.ts, unchanged, so its PLAYABLE table still holds) plus a user,
 * group, device and call whose names and numbers hold markup, quotes and a right-to-left
 * override, which the section must show as text; and a two-hour call (`c-long`, Dave on the
 * shared phone), for faults far into a recording no browser buffers whole.
 */
import type { Dataset } from "../../src/rules/domain.js";
import { fixtureDataset } from "./fixture-dataset.js";

/** Hostile strings as the server stores them, for tests to compare with what is shown. */
export const HOSTILE = {
  user: `Mallory <img src=x onerror="window.__crecXss=1"> \u202Eevil`,
  group: `<script>window.__crecXss=2</script>Ops & "Co"`,
  device: `<b>Desk</b> & 'seven'`,
  from: `<img src=x onerror="window.__crecXss=3">`,
} as const;

export function sessionDataset(): Dataset {
  const dataset = fixtureDataset();
  dataset.groups.push({ id: "hostile", name: HOSTILE.group });
  dataset.users.push({
    id: "mallory",
    name: HOSTILE.user,
    password: "mallory-pass",
    admin: false,
    primaryGroup: "hostile",
    memberGroups: [],
    recording: "inherit",
    playback: "own",
  });
  dataset.devices.push({ id: "ext-mallory", name: HOSTILE.device, user: "mallory", recording: "inherit" });
  dataset.calls.push({
    id: "c-hostile",
    start: "2026-11-20T16:00:00Z",
    direction: "inbound",
    from: HOSTILE.from,
    to: "+441632960100",
    groups: ["hostile"],
    conference: false,
    segments: [{ start: "2026-11-20T16:00:02Z", end: "2026-11-20T16:00:32Z", device: "ext-mallory", user: "mallory" }],
  });
  dataset.calls.push({
    id: "c-long",
    start: "2026-11-20T17:00:00Z",
    direction: "outbound",
    from: "2007",
    to: "+441632960006",
    groups: ["billing"],
    conference: false,
    segments: [{ start: "2026-11-20T17:00:01Z", end: "2026-11-20T19:00:01Z", device: "ext-shared", user: "dave" }],
  });
  return dataset;
}
