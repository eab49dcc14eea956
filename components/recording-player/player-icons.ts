/**
 * The player's icons: inline SVG on a 24-unit grid, drawn with `currentColor`, hidden from
 * assistive technology (the buttons carry the names). No external assets.
 */
import { svg, type SVGTemplateResult } from "lit";

const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">${body}</svg>`;

export const playIcon = icon(svg`<path fill="currentColor" d="M8 5.14v13.72a1 1 0 0 0 1.52.85l10.6-6.86a1 1 0 0 0 0-1.7L9.52 4.3A1 1 0 0 0 8 5.14z"/>`);

export const pauseIcon = icon(
  svg`<rect fill="currentColor" x="6" y="5" width="4" height="14" rx="1"/><rect fill="currentColor" x="14" y="5" width="4" height="14" rx="1"/>`,
);

export const replayIcon = icon(
  svg`<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M4 12a8 8 0 1 0 2.34-5.66M4 4v4h4"/>`,
);

/**
 * The ±10 s icons: a ring of arrow (a triangle head at the top) around a "10" drawn as strokes,
 * not text, so it reads the same in every browser and font at the player's 22 px: the digits
 * stand about 8 px tall, with room between them and the ring. Forward mirrors the ring only.
 */
const skipRing = svg`<path fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" d="M12 3.5a9.25 9.25 0 1 1-7.58 3.94"/><path fill="currentColor" d="M12.6.7v5.6L8.2 3.5z"/>`;
const ten = svg`<path fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" d="M7.8 10.5l1.5-1.25v7"/><ellipse fill="none" stroke="currentColor" stroke-width="1.7" cx="14.6" cy="12.75" rx="2.2" ry="3.5"/>`;

export const skipBackIcon = icon(svg`${skipRing}${ten}`);
export const skipForwardIcon = icon(svg`<g transform="matrix(-1 0 0 1 24 0)">${skipRing}</g>${ten}`);

export const previousIcon = icon(
  svg`<rect fill="currentColor" x="5" y="5" width="2.5" height="14" rx="1"/><path fill="currentColor" d="M19 6.2v11.6a.9.9 0 0 1-1.4.75L9.3 12.75a.9.9 0 0 1 0-1.5l8.3-5.8A.9.9 0 0 1 19 6.2z"/>`,
);
export const nextIcon = icon(
  svg`<rect fill="currentColor" x="16.5" y="5" width="2.5" height="14" rx="1"/><path fill="currentColor" d="M5 6.2v11.6a.9.9 0 0 0 1.4.75l8.3-5.8a.9.9 0 0 0 0-1.5l-8.3-5.8A.9.9 0 0 0 5 6.2z"/>`,
);

export const downloadIcon = icon(
  svg`<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19.5h14"/>`,
);

const speaker = svg`<path fill="currentColor" d="M4 9.5h3.2L11.6 5.6a.8.8 0 0 1 1.4.6v11.6a.8.8 0 0 1-1.4.6L7.2 14.5H4a1 1 0 0 1-1-1v-3a1 1 0 0 1 1-1z"/>`;

export const volumeHighIcon = icon(
  svg`${speaker}<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M16 8.5a5 5 0 0 1 0 7M18.8 5.7a9 9 0 0 1 0 12.6"/>`,
);
export const volumeLowIcon = icon(svg`${speaker}<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M16 8.5a5 5 0 0 1 0 7"/>`);
export const mutedIcon = icon(
  svg`${speaker}<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M16.5 9.5l5 5m0-5l-5 5"/>`,
);

export const spinnerIcon = icon(
  svg`<circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-dasharray="34 50" class="spinner"/>`,
);

export const alertIcon = icon(
  svg`<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M12 3.5l9.5 16.5h-19z"/><path stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M12 10v4.5m0 2.8v.2"/>`,
);

export const closeIcon = icon(
  svg`<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M6.5 6.5l11 11m0-11l-11 11"/>`,
);

/** The call's own page: a sheet of details. */
export const callLinkIcon = icon(
  svg`<rect fill="none" stroke="currentColor" stroke-width="2" x="4.5" y="3.5" width="15" height="17" rx="2"/><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M8.5 8.5h7m-7 3.5h7m-7 3.5h4"/>`,
);
