/**
 * Draws the call's timeline for `<call-session-recordings>`: a lane per party with its name,
 * device and group; segments on their lanes (hatched where not recorded); transfers as arrows
 * between lanes; a bar per recording that plays from the point clicked (a conference's
 * recording spans every participant's lane); the played part of the current recording and a
 * playhead that follow the player; and the elapsed-time axis. It is a picture for the pointer:
 * hidden from assistive technology, whose users have the list (recordings-list-view.ts).
 */
import { html, nothing, type TemplateResult } from "lit";
import { cssomStyle } from "../shared/cssom-style.js";
import type { CallTimelineLayout, TimelineBar } from "../../src/calls/call-timeline.js";
import { formatClock } from "../../src/player/format-time.js";

export interface TimelineView {
  layout: CallTimelineLayout;
  /** Each recording's short name ("Segment 2"), by recording index. */
  names: readonly string[];
  nowPlaying: { recordingId: string; currentTime: number; playing: boolean } | null;
  /** Where the pointer is over a bar, as a fraction of it. */
  hover: { recordingIndex: number; fraction: number } | null;
  onBarClick(event: MouseEvent, bar: TimelineBar): void;
  onBarPointerMove(event: PointerEvent, bar: TimelineBar): void;
  onBarPointerLeave(): void;
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

export function renderTimeline(view: TimelineView): TemplateResult {
  const { layout, nowPlaying, hover } = view;
  const pct = (seconds: number) => `${(clamp01(seconds / layout.total) * 100).toFixed(3)}%`;
  const width = (seconds: number) => `${(clamp01(seconds / layout.total) * 100).toFixed(3)}%`;
  const current = nowPlaying ? layout.bars.find((b) => b.recordingId === nowPlaying.recordingId) : undefined;
  const progress = (bar: TimelineBar) => (nowPlaying && bar.durationSeconds > 0 ? clamp01(nowPlaying.currentTime / bar.durationSeconds) : 0);
  const hovered = hover ? layout.bars[hover.recordingIndex] : undefined;

  return html`<div part="timeline" class="timeline" aria-hidden="true" ${cssomStyle({ "--lanes": String(Math.max(1, layout.lanes.length)) })}>
    <div class="lane-labels">
      ${layout.lanes.map(
        (lane) =>
          html`<div part="lane-label" class="lane-label ${lane.who.unanswered ? "unanswered" : ""}" title=${[lane.who.primary, ...lane.who.secondary].join(" · ")}>
            <bdi class="who">${lane.who.primary}</bdi>
            ${lane.who.secondary.length ? html`<span class="meta">${lane.who.secondary.map((s, i) => html`${i ? " · " : ""}<bdi>${s}</bdi>`)}</span>` : nothing}
          </div>`,
      )}
    </div>
    <div part="plot" class="plot">
      ${layout.ticks.map((t) => html`<div class="gridline" ${cssomStyle({ left: pct(t.at) })}></div>`)}
      ${layout.bars.map((bar) => {
        const isCurrent = bar === current;
        const style = cssomStyle({
          left: pct(bar.at),
          width: width(bar.length),
          ...(bar.lane === null ? {} : { "--lane": String(bar.lane) }),
        });
        return html`<div
          part="recording-bar${isCurrent ? " recording-bar-current" : ""}"
          class="bar ${bar.lane === null ? "spanning" : "in-lane"} ${isCurrent ? "current" : ""} ${isCurrent && nowPlaying?.playing ? "playing" : ""}"
          data-recording-id=${bar.recordingId}
          data-index=${bar.recordingIndex}
          ${style}
          @click=${(e: MouseEvent) => view.onBarClick(e, bar)}
          @pointermove=${(e: PointerEvent) => view.onBarPointerMove(e, bar)}
          @pointerleave=${view.onBarPointerLeave}
        >
          ${isCurrent ? html`<div part="played" class="played" ${cssomStyle({ width: `${(progress(bar) * 100).toFixed(3)}%` })}></div>` : nothing}
          <span class="bar-label">${view.names[bar.recordingIndex]} · ${formatClock(bar.durationSeconds)}</span>
        </div>`;
      })}
      ${layout.lanes.flatMap((lane, laneIndex) =>
        lane.segments
          .filter((s) => !layout.bars.some((b) => b.lane === laneIndex && Math.abs(b.at - s.at) < 0.5 && Math.abs(b.length - s.length) < 0.5))
          .map(
            (s) =>
              html`<div
                part="segment"
                class="segment ${s.recorded ? "recorded" : "unrecorded"}"
                title=${s.recorded ? "" : "Not recorded"}
                ${cssomStyle({ left: pct(s.at), width: width(s.length), "--lane": String(laneIndex) })}
              ></div>`,
          ),
      )}
      ${layout.transfers.map((t) => {
        const top = Math.min(t.fromLane, t.toLane);
        return html`<div
          part="transfer"
          class="transfer ${t.toLane > t.fromLane ? "down" : "up"}"
          ${cssomStyle({ left: pct(t.at), "--from": String(top), "--span": String(Math.abs(t.toLane - t.fromLane)) })}
        ></div>`;
      })}
      ${current && nowPlaying
        ? html`<div part="playhead" class="playhead" ${cssomStyle({ left: pct(current.at + progress(current) * current.length) })}></div>`
        : nothing}
      ${hovered && hover
        ? html`<div class="hover-line" ${cssomStyle({ left: pct(hovered.at + hover.fraction * hovered.length) })}>
            <span part="hover-time" class="hover-time">Play from ${formatClock(hover.fraction * hovered.durationSeconds)}</span>
          </div>`
        : nothing}
    </div>
    <div part="axis" class="axis">
      ${layout.ticks.map(
        // The last label, near the end, ends at its line instead of being cut at the edge.
        (t, i) =>
          html`<span part="tick" class="tick ${i > 0 && i === layout.ticks.length - 1 && t.at >= layout.total * 0.9 ? "end" : ""}" ${cssomStyle({ left: pct(t.at) })}
            >${t.label}</span
          >`,
      )}
    </div>
  </div>`;
}
