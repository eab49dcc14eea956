/**
 * The timeline of a call's segments on the Call Session view: one row per segment in time
 * order, each with its offsets from the call's start, who it reached, and a bar placed with
 * CSS percentages (no script). Transfers are said in words; in a conference each participant
 * has their own lane with join and leave times. Rows carry `data-segment-index`, `data-start`
 * and `data-end` so a browser extension can line recordings up with them.
 */
import { html } from "hono/html";
import type { CallView, SegmentView } from "../calls.js";
import { isoUtc, offsetText, secondsBetween, timeEl, timeMs, type Html } from "./format.js";

/** Who a segment reached, as people read it. */
export function segmentWho(s: SegmentView): string {
  return s.user?.name ?? s.device?.name ?? "Queue or IVR";
}

/** Lanes of a conference: one per participant (user, else device), numbered by first join. */
function conferenceLanes(segments: SegmentView[]): Map<number, { lane: number; key: string; rejoin: boolean }> {
  const lanes = new Map<string, number>();
  const bySegment = new Map<number, { lane: number; key: string; rejoin: boolean }>();
  for (const s of [...segments].sort(byTime)) {
    const key = s.user ? `user:${s.user.id}` : s.device ? `device:${s.device.id}` : `unreached:${s.index}`;
    const rejoin = lanes.has(key);
    if (!rejoin) lanes.set(key, lanes.size + 1);
    bySegment.set(s.index, { lane: lanes.get(key)!, key, rejoin });
  }
  return bySegment;
}

function byTime(a: SegmentView, b: SegmentView): number {
  return (timeMs(a.start) ?? 0) - (timeMs(b.start) ?? 0) || a.index - b.index;
}

/** What happened between the previous segment and this one, for an ordinary (not conference) call. */
function transferText(prev: SegmentView | undefined, s: SegmentView): Html | "" {
  if (!prev) return "";
  const reached = (x: SegmentView) => x.user !== null || x.device !== null;
  const same = prev.user?.id === s.user?.id && prev.device?.id === s.device?.id;
  if (same) return "";
  if (!reached(prev) && reached(s)) return html`Answered by <bdi>${segmentWho(s)}</bdi> from the queue`;
  if (reached(prev) && !reached(s)) return html`Transferred from <bdi>${segmentWho(prev)}</bdi> to a queue or IVR`;
  if (reached(prev) && reached(s)) return html`Transferred from <bdi>${segmentWho(prev)}</bdi> to <bdi>${segmentWho(s)}</bdi>`;
  return "";
}

const pct = (n: number) => `${Math.min(100, Math.max(0, Math.round(n * 1000) / 1000))}%`;

/** The timeline table of a call. */
export function callTimeline(call: CallView): Html {
  const total = Math.max(1, secondsBetween(call.start, call.end));
  const segments = [...call.segments].sort(byTime);
  const lanes = call.conference ? conferenceLanes(segments) : undefined;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => html`<span>${offsetText(total * f)}</span>`);

  const row = (s: SegmentView, i: number) => {
    const startOffset = secondsBetween(call.start, s.start);
    const endOffset = secondsBetween(call.start, s.end);
    const lane = lanes?.get(s.index);
    const reached = s.user !== null || s.device !== null;
    const story = lane
      ? html`<bdi>${segmentWho(s)}</bdi> ${lane.rejoin ? "joined again" : "joined"} at ${offsetText(startOffset)}, left at ${offsetText(endOffset)}`
      : transferText(segments[i - 1], s);
    const details = [
      s.device && s.user ? html`Device: <bdi>${s.device.name}</bdi>` : "",
      s.group ? html`Group: <bdi>${s.group.name}</bdi>` : "",
      !reached ? "Did not reach a device or a user" : "",
    ].filter((d) => d !== "");
    return html`<tr class="segment" data-segment-index="${s.index}" data-start="${isoUtc(s.start)}" data-end="${isoUtc(s.end)}" data-start-offset="${Math.round(startOffset)}" data-end-offset="${Math.round(endOffset)}"${lane ? html` data-lane="${lane.lane}"` : ""}>
  <th scope="row">${lane ? html`Lane ${lane.lane}<br><span class="muted">segment ${s.index + 1}</span>` : html`Segment ${s.index + 1}`}</th>
  <td class="who"><strong><bdi>${segmentWho(s)}</bdi></strong>${details.length ? html`<br><span class="muted">${details.map((d, j) => html`${j ? " · " : ""}${d}`)}</span>` : ""}${story ? html`<span class="transfer">${story}</span>` : ""}</td>
  <td>${offsetText(startOffset)}<br><span class="muted">${timeEl(s.start)}</span></td>
  <td>${offsetText(endOffset)}<br><span class="muted">${timeEl(s.end)}</span></td>
  <td class="track-cell"><div class="track" aria-hidden="true"><span class="bar${reached ? "" : " unreached"}" style="left: ${pct((startOffset / total) * 100)}; width: ${pct(((endOffset - startOffset) / total) * 100)}"></span></div></td>
</tr>`;
  };

  return html`<div class="table-wrap"><table class="timeline">
  <caption>${call.conference ? "Conference participants, each on their own lane, in the order they joined" : "Segments of the call in time order; a transfer starts a new segment"}. Offsets are from the call's start.</caption>
  <thead><tr>
    <th scope="col">${call.conference ? "Lane" : "Segment"}</th><th scope="col">Who</th><th scope="col">Start</th><th scope="col">End</th>
    <th scope="col">Timeline<div class="axis" aria-hidden="true">${ticks}</div></th>
  </tr></thead>
  <tbody>${segments.map(row)}</tbody>
</table></div>`;
}
