/**
 * The look of `<call-session-recordings>`: the timeline (lanes, recording bars, transfers,
 * playhead, axis) above the list of recordings, in the player's palette, following the colour
 * scheme and themed through `--crec-*` custom properties and `::part()`. Internal `--_*`
 * properties resolve the public ones against light and dark defaults.
 */
import { css } from "lit";
import { darkScheme, sharedStyles } from "../shared/theme-tokens.js";

export const callSessionStyles = [
  sharedStyles,
  css`
  :host {
    --_bg: var(--crec-background, transparent);
    --_recording: var(--crec-recording, #0969da);
    --_recording-current: var(--crec-recording-current, #0969da);
    --_played: var(--crec-played, rgb(0 0 0 / 0.34));
    --_conference: var(--crec-conference-recording, rgb(84 174 255 / 0.22));
    --_presence: var(--crec-segment, #6e7781);
    --_unrecorded: var(--crec-unrecorded, #afb8c1);
    --_transfer: var(--crec-transfer, #8250df);
    --_playhead: var(--crec-playhead, #cf222e);
    --_grid: var(--crec-grid, rgb(31 35 40 / 0.1));
    --_lane-bg: var(--crec-lane-background, rgb(31 35 40 / 0.03));
    --_current-row: var(--crec-current-row, rgb(9 105 218 / 0.1));
    --_lane: var(--crec-lane-height, 40px);
    --_label-width: var(--crec-label-width, 13rem);
    --_hover-time-fg: #fff;

    line-height: 1.35;
  }



  /* Nothing to play (or no call): the section does not appear. */
  :host([hidden]),
  :host([status="empty"]),
  :host([status="idle"]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  bdi {
    unicode-bidi: isolate;
  }

  .section {
    display: grid;
    gap: 12px;
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 12px;
  }

  .heading {
    margin: 0;
    font-size: 1.15em;
    font-weight: 650;
  }

  .summary {
    color: var(--_fg-muted);
  }

  .header .play-all {
    margin-inline-start: auto;
  }

  .button {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: 32px;
    padding: 4px 12px 4px 8px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
    white-space: nowrap;
  }

  .button:hover {
    background: var(--_hover);
  }

  .button svg {
    width: 18px;
    height: 18px;
    flex: none;
  }

  .button.primary {
    border-color: var(--_accent);
    background: var(--_accent);
    color: #fff;
  }

  .button.primary:hover {
    filter: brightness(1.08);
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  /* ---- timeline ---- */

  .timeline {
    display: grid;
    grid-template-columns: minmax(6rem, var(--_label-width)) minmax(0, 1fr);
    grid-template-rows: auto auto;
    column-gap: 10px;
    user-select: none;
  }

  .lane-labels {
    grid-column: 1;
    grid-row: 1;
  }

  .lane-label {
    display: flex;
    flex-direction: column;
    justify-content: center;
    height: var(--_lane);
    min-width: 0;
    overflow: hidden;
  }

  .lane-label .who,
  .lane-label .meta {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .lane-label .who {
    font-weight: 600;
  }

  .lane-label .meta {
    color: var(--_fg-muted);
    font-size: 0.85em;
  }

  .lane-label.unanswered .who {
    font-weight: 400;
    font-style: italic;
    color: var(--_fg-muted);
  }

  .plot {
    grid-column: 2;
    grid-row: 1;
    position: relative;
    height: calc(var(--lanes) * var(--_lane));
    border-radius: 6px;
    background: repeating-linear-gradient(to bottom, var(--_lane-bg) 0 calc(var(--_lane) - 1px), var(--_grid) calc(var(--_lane) - 1px) var(--_lane));
  }

  .gridline {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 1px;
    background: var(--_grid);
    pointer-events: none;
  }

  .bar {
    position: absolute;
    min-width: 4px;
    overflow: hidden;
    border-radius: 6px;
    cursor: pointer;
    background: var(--_recording);
    color: #fff;
    transition: box-shadow 120ms ease;
  }

  .bar.in-lane {
    top: calc(var(--lane) * var(--_lane) + 6px);
    height: calc(var(--_lane) - 12px);
  }

  .bar.spanning {
    top: 2px;
    bottom: 2px;
    z-index: 0;
    background: var(--_conference);
    color: var(--_fg);
    border: 2px solid var(--_recording);
  }

  .bar:hover {
    box-shadow: 0 0 0 2px var(--_accent);
  }

  .bar.current {
    background: var(--_recording-current);
    box-shadow: 0 0 0 2px Canvas, 0 0 0 4px var(--_recording-current);
  }

  .bar.spanning.current {
    background: var(--_conference);
    border-color: var(--_recording-current);
  }

  .played {
    position: absolute;
    inset: 0 auto 0 0;
    background: var(--_played);
    pointer-events: none;
  }

  .bar-label {
    position: relative;
    display: block;
    padding: 0 8px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.85em;
    font-weight: 600;
    line-height: calc(var(--_lane) - 12px);
    pointer-events: none;
  }

  /* A conference's recording spans every lane; its name sits in the first (its own). */
  .bar.spanning .bar-label {
    line-height: calc(var(--_lane) - 8px);
  }

  .segment {
    position: absolute;
    top: calc(var(--lane) * var(--_lane) + var(--_lane) * 0.36);
    height: calc(var(--_lane) * 0.28);
    min-width: 2px;
    z-index: 1;
    border-radius: 4px;
    pointer-events: none;
  }

  .segment.recorded {
    background: var(--_presence);
  }

  .segment.unrecorded {
    background: repeating-linear-gradient(135deg, var(--_unrecorded) 0 4px, transparent 4px 8px);
    border: 1px solid var(--_unrecorded);
  }

  .transfer {
    position: absolute;
    top: calc((var(--from) + 0.5) * var(--_lane));
    height: calc(var(--span) * var(--_lane));
    width: 0;
    z-index: 2;
    border-left: 2px dashed var(--_transfer);
    transform: translateX(-1px);
    pointer-events: none;
  }

  .transfer::after {
    content: "";
    position: absolute;
    left: -6px;
    border: 5px solid transparent;
  }

  .transfer.down::after {
    bottom: -2px;
    border-top: 7px solid var(--_transfer);
    border-bottom-width: 0;
  }

  .transfer.up::after {
    top: -2px;
    border-bottom: 7px solid var(--_transfer);
    border-top-width: 0;
  }

  .playhead {
    position: absolute;
    top: -3px;
    bottom: -3px;
    width: 2px;
    z-index: 3;
    background: var(--_playhead);
    transform: translateX(-1px);
    pointer-events: none;
  }

  .hover-line {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 0;
    z-index: 4;
    border-left: 1px solid var(--_fg);
    pointer-events: none;
  }

  .hover-time {
    position: absolute;
    bottom: 100%;
    transform: translate(-50%, -2px);
    padding: 1px 6px;
    border-radius: 4px;
    background: var(--_fg);
    color: var(--_hover-time-fg);
    font-size: 0.8em;
    white-space: nowrap;
  }

  .axis {
    grid-column: 2;
    grid-row: 2;
    position: relative;
    height: 1.5em;
    color: var(--_fg-muted);
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
  }

  .tick {
    position: absolute;
    top: 2px;
    transform: translateX(-50%);
    white-space: nowrap;
  }

  .tick:first-child {
    transform: none;
  }

  .tick.end {
    transform: translateX(-100%);
  }

  /* A narrow axis labels every other line, so that no two labels run into each other. */
  .axis {
    container-type: inline-size;
  }
  @container (max-width: 480px) {
    .tick:nth-child(even) {
      visibility: hidden;
    }
  }

  /* ---- list ---- */

  .list {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }

  .list th,
  .list td {
    padding: 6px 8px;
    text-align: start;
    vertical-align: middle;
    border-bottom: 1px solid var(--_border);
  }

  .list thead th {
    color: var(--_fg-muted);
    font-size: 0.85em;
    font-weight: 600;
  }

  .list tbody th {
    font-weight: 600;
    white-space: nowrap;
  }

  .list tr.current {
    background: var(--_current-row);
  }

  .now-playing {
    display: block;
    color: var(--_accent);
    font-size: 0.85em;
    font-weight: 500;
  }

  .who-cell {
    max-width: 24rem;
  }

  .who-cell .who {
    font-weight: 500;
  }

  .who-cell .meta {
    display: block;
    color: var(--_fg-muted);
    font-size: 0.85em;
    overflow-wrap: break-word;
  }

  .list time {
    white-space: nowrap;
  }

  .actions {
    text-align: end;
    white-space: nowrap;
  }

  .actions .button + .button {
    margin-inline-start: 6px;
  }

  /* ---- states ---- */

  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    min-height: 32px;
    color: var(--_fg-muted);
  }

  .status.pending {
    min-height: 0;
  }

  .status.problem {
    color: var(--_error);
  }

  .skeleton {
    height: calc(2 * var(--_lane));
    border-radius: 6px;
    background: linear-gradient(90deg, var(--_lane-bg), var(--_grid), var(--_lane-bg));
    background-size: 200% 100%;
    animation: shimmer 1.4s linear infinite;
  }

  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
    .bar {
      transition: none;
    }
  }

  /* Narrow: names above their lanes, the list's buttons without words. */
  @container (max-width: 520px) {
    .timeline {
      --_label-width: 7rem;
    }
    .button-text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    .button {
      padding: 4px 7px;
    }
    .list thead th:nth-child(3),
    .list tbody td:nth-child(3) {
      display: none;
    }
  }

  @media (forced-colors: active) {
    .bar,
    .segment.recorded,
    .playhead {
      forced-color-adjust: none;
    }
    .bar {
      border: 2px solid ButtonText;
    }
    .bar.current,
    .playhead {
      background: Highlight;
    }
  }
`,
  darkScheme(`--_recording: var(--crec-recording, #1a5fd0); --_recording-current: var(--crec-recording-current, #1a5fd0); --_played: var(--crec-played, rgb(0 0 0 / 0.35)); --_conference: var(--crec-conference-recording, rgb(56 139 253 / 0.3)); --_presence: var(--crec-segment, #9ea7b3); --_unrecorded: var(--crec-unrecorded, #484f58); --_transfer: var(--crec-transfer, #bc8cff); --_playhead: var(--crec-playhead, #ff7b72); --_grid: var(--crec-grid, rgb(230 237 243 / 0.1)); --_lane-bg: var(--crec-lane-background, rgb(230 237 243 / 0.04)); --_current-row: var(--crec-current-row, rgb(68 147 248 / 0.18)); --_hover-time-fg: #0d1117;`),
];
