/**
 * The look of `<recording-player>`: a compact bar that follows the colour scheme, honours
 * reduced motion, and is themed through `--crec-*` custom properties and `::part()`.
 * Internal `--_*` properties resolve the public ones against light and dark defaults.
 */
import { css } from "lit";
import { darkScheme, sharedStyles } from "../shared/theme-tokens.js";

export const playerStyles = [
  sharedStyles,
  css`
  :host {
    --_bg: var(--crec-background, #ffffff);
    --_track: var(--crec-track, #d1d9e0);
    --_buffered: var(--crec-buffered, #9aa4ae);
    --_mark: var(--crec-segment-mark, #1f2328);
    --_current-segment: var(--crec-current-segment, rgb(9 105 218 / 0.18));
    --_control-size: var(--crec-control-size, 36px);

    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    line-height: 1.3;
    -webkit-tap-highlight-color: transparent;
  }



  :host([hidden]) {
    display: none;
  }

  :host([docked]) {
    position: fixed;
    inset: auto 0 0 0;
    z-index: var(--crec-z-index, 2147483000);
    border-width: 1px 0 0;
    border-radius: 0;
    box-shadow: var(--crec-shadow, 0 -4px 18px rgb(0 0 0 / 0.12));
    padding-bottom: env(safe-area-inset-bottom, 0px);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .bar {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto auto;
    grid-template-areas: "start middle time end";
    align-items: center;
    column-gap: 10px;
    row-gap: 2px;
    padding: 6px 10px;
    outline: none;
  }

  /*
   * Narrow: the names and any message across the top, then rows that still read play, timeline,
   * time, download, mute, volume. A message too long to sit beside the names (an error, the
   * resume offer) takes a line of the bar's width rather than a sliver of the middle.
   */
  @container (max-width: 600px) {
    .bar {
      grid-template-columns: auto minmax(0, 1fr);
      grid-template-areas:
        "info info"
        "start seek"
        "foot foot";
    }
    /* The time and the end group share the last row, not the columns the buttons above set. */
    .bar .time {
      grid-area: foot;
      justify-self: start;
    }
    .bar .end {
      grid-area: foot;
      justify-self: end;
      /* Clear of the time ("2:00 / 3:30"): more controls wrap rather than cover it. */
      max-width: calc(100% - 6em);
      flex-wrap: wrap;
      justify-content: flex-end;
    }
    .end .button {
      min-width: calc(var(--_control-size) - 4px);
      padding: 0 3px;
    }
    .middle {
      display: contents;
    }
    /* After the wide rules below: .bar makes these win. */
    .bar .info {
      grid-area: info;
      flex-wrap: wrap;
      row-gap: 2px;
    }
    .bar .names {
      flex: 1 1 8em;
    }
    .bar .status {
      flex: 0 1 auto;
    }
    /* The alert icon, the message and its button on one line while they fit. */
    .bar .status .message {
      flex: 1 1 10em;
    }
    .seek {
      grid-area: seek;
    }
    .volume {
      width: var(--crec-volume-width, 56px);
      margin-inline-end: 8px;
    }
  }

  .start {
    grid-area: start;
  }
  .middle {
    grid-area: middle;
    min-width: 0;
  }
  .time {
    grid-area: time;
  }
  .end {
    grid-area: end;
    justify-self: end;
  }

  .group {
    display: flex;
    align-items: center;
    gap: 2px;
  }

  .button {
    display: inline-grid;
    place-items: center;
    min-width: var(--_control-size);
    height: var(--_control-size);
    padding: 0 6px;
    margin: 0;
    border: 0;
    border-radius: calc(var(--_radius) - 2px);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
    text-decoration: none;
    transition: background-color 120ms ease;
  }

  .button:hover:not(:disabled, [aria-disabled="true"]) {
    background: var(--_hover);
  }

  .button:disabled,
  .button[aria-disabled="true"] {
    opacity: 0.45;
    cursor: default;
  }

  .button svg {
    width: 22px;
    height: 22px;
    display: block;
  }

  .play {
    min-width: calc(var(--_control-size) + 4px);
    height: calc(var(--_control-size) + 4px);
    border-radius: 50%;
    color: var(--_bg);
    background: var(--_fg);
  }

  .play:hover:not(:disabled) {
    background: var(--_fg);
    opacity: 0.88;
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .info {
    display: flex;
    align-items: baseline;
    gap: 8px;
    min-height: 1.3em;
    font-size: 0.86em;
    color: var(--_fg-muted);
  }

  .names {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  [part="call-title"] {
    color: var(--_fg);
    font-weight: 600;
  }

  .status {
    flex: 1 1 auto;
    min-width: 0;
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
  }

  .status.problem {
    color: var(--_error);
    font-weight: 500;
  }

  .status svg {
    width: 16px;
    height: 16px;
    flex: none;
    align-self: center;
  }

  .link-button {
    padding: 2px 8px;
    border: 1px solid currentColor;
    border-radius: 999px;
    background: transparent;
    color: var(--_fg);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    text-decoration: none;
  }

  .link-button:hover {
    background: var(--_hover);
  }

  .slider {
    position: relative;
    display: flex;
    align-items: center;
    height: 24px;
    cursor: pointer;
    touch-action: none;
    user-select: none;
    border-radius: 4px;
  }

  .slider[aria-disabled="true"] {
    cursor: default;
    opacity: 0.5;
  }

  .track {
    position: relative;
    width: 100%;
    height: 4px;
    border-radius: 2px;
    background: var(--_track);
    transition: height 120ms ease;
  }

  .slider:hover .track,
  .slider:focus-visible .track {
    height: 6px;
  }

  .fill {
    position: absolute;
    top: 0;
    bottom: 0;
    border-radius: inherit;
  }

  .buffered {
    background: var(--_buffered);
  }

  .current-segment {
    top: -4px;
    bottom: -4px;
    background: var(--_current-segment);
    border-radius: 3px;
  }

  .played {
    left: 0;
    background: var(--_accent);
  }

  [part~="segment-mark"] {
    position: absolute;
    top: -5px;
    bottom: -5px;
    width: 2px;
    margin-left: -1px;
    border-radius: 1px;
    background: var(--_mark);
  }

  .thumb {
    position: absolute;
    top: 50%;
    width: 14px;
    height: 14px;
    margin: -7px 0 0 -7px;
    border-radius: 50%;
    background: var(--_accent);
    box-shadow: 0 0 0 2px var(--_bg);
    transition: transform 120ms ease;
    pointer-events: none;
  }

  .slider:hover .thumb,
  .slider:focus-visible .thumb {
    transform: scale(1.15);
  }

  .tip {
    position: absolute;
    bottom: calc(100% + 2px);
    z-index: 1;
    padding: 2px 6px;
    border-radius: 4px;
    background: var(--_fg);
    color: var(--_bg);
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    pointer-events: none;
  }

  .volume {
    width: var(--crec-volume-width, 84px);
  }

  .time {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    font-size: 0.9em;
  }

  .rate {
    position: relative;
  }

  [part="rate-button"] {
    min-width: 48px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }

  [part="rate-menu"] {
    position: absolute;
    right: 0;
    bottom: calc(100% + 6px);
    z-index: 1;
    display: flex;
    flex-direction: column;
    min-width: 96px;
    padding: 4px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
  }

  [part="rate-menu"].below {
    top: calc(100% + 6px);
    bottom: auto;
  }

  [part~="rate-option"] {
    justify-items: start;
    height: 30px;
    padding: 0 10px 0 26px;
    position: relative;
    font-variant-numeric: tabular-nums;
  }

  [part~="rate-option"][aria-checked="true"]::before {
    content: "";
    position: absolute;
    left: 10px;
    top: 50%;
    width: 7px;
    height: 7px;
    margin-top: -3.5px;
    border-radius: 50%;
    background: var(--_accent);
  }

  .spinner {
    transform-origin: 12px 12px;
    animation: crec-spin 0.9s linear infinite;
  }

  @keyframes crec-spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }

  @media (forced-colors: active) {
    .played,
    .thumb,
    [part~="segment-mark"] {
      background: Highlight;
    }
    .track {
      border: 1px solid CanvasText;
    }
  }
`,
  darkScheme(`--_bg: var(--crec-background, #161b22); --_track: var(--crec-track, #3d444d); --_buffered: var(--crec-buffered, #6e7781); --_mark: var(--crec-segment-mark, #e6edf3); --_current-segment: var(--crec-current-segment, rgb(68 147 248 / 0.25));`),
];
