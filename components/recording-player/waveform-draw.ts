/**
 * The waveform's drawing, loaded (a dynamic import) only once a recording has peaks: the peaks
 * read (src/player/peaks-client.ts), resampled with BBC's waveform-data to the width drawn, and
 * painted on a canvas, played part and the rest in their own colours. Shared by the player's seek
 * slider and the timeline's bars.
 */
// The library build (tsconfig.lib.json) takes only what the entry files reach: the declaration is named here.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./waveform-data-esm.d.ts" />
import WaveformData from "waveform-data/dist/waveform-data.esm.js";
import type { Peaks } from "../../src/player/silence.js";

export { loadPeaks } from "../../src/player/peaks-client.js";

export interface WaveformColors {
  played: string;
  unplayed: string;
}

export interface WaveformLayout {
  /** Where the recording starts and ends across the canvas, as fractions of its width (a sequence's part). */
  from: number;
  to: number;
  /** Two-channel recordings: the first channel on the top half, the second below. Otherwise channels are drawn as one. */
  split: boolean;
}

/** Reads the colours a canvas is styled with: `color` for the played part, `--_waveform` for the rest. */
export function colorsOf(canvas: HTMLCanvasElement): WaveformColors {
  const style = getComputedStyle(canvas);
  const played = style.color || "#0969da";
  // A custom property keeps `currentColor` as written: the canvas's own colour is meant.
  const unplayed = style.getPropertyValue("--_waveform").trim();
  return { played, unplayed: !unplayed || unplayed.toLowerCase() === "currentcolor" ? played : unplayed };
}

export class WaveformPainter {
  readonly #data: WaveformData;
  #key = "";
  #path: Path2D | null = null;

  constructor(peaks: Peaks) {
    this.#data = WaveformData.create({
      version: 2,
      channels: peaks.channels,
      sample_rate: peaks.sampleRate,
      samples_per_pixel: peaks.samplesPerPixel,
      bits: peaks.bits,
      length: peaks.length,
      data: [...peaks.data],
    });
  }

  /** The channels drawn on halves of their own with `split`. */
  get channels(): number {
    return this.#data.channels;
  }

  /**
   * Paints the waveform with `played` (0..1 of the canvas's width) in the played colour. The canvas
   * is sized to its box first; the resampled shape is kept until the size or layout changes, so a
   * frame while playing only fills a kept path twice.
   */
  draw(canvas: HTMLCanvasElement, played: number, colors: WaveformColors, layout: WaveformLayout): void {
    const ratio = globalThis.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth;
    const cssHeight = canvas.clientHeight;
    const width = Math.round(cssWidth * ratio);
    const height = Math.round(cssHeight * ratio);
    if (width <= 0 || height <= 0) return;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const context = canvas.getContext("2d");
    if (!context) return;
    const key = `${width}x${height}@${ratio} ${layout.from} ${layout.to} ${layout.split}`;
    if (key !== this.#key || !this.#path) {
      this.#key = key;
      this.#path = this.#shape(width, height, ratio, layout);
    }
    context.clearRect(0, 0, width, height);
    context.fillStyle = colors.unplayed;
    context.fill(this.#path);
    const playedX = Math.round(Math.min(1, Math.max(0, played)) * width);
    if (playedX > 0) {
      context.save();
      context.beginPath();
      context.rect(0, 0, playedX, height);
      context.clip();
      context.fillStyle = colors.played;
      context.fill(this.#path);
      context.restore();
    }
  }

  /** The bars, one per CSS pixel of the recording's span, as one path. */
  #shape(width: number, height: number, ratio: number, layout: WaveformLayout): Path2D {
    const path = new Path2D();
    const left = Math.round(layout.from * width);
    const spanWidth = Math.max(0, Math.round(layout.to * width) - left);
    const columns = Math.max(1, Math.round(spanWidth / ratio));
    if (spanWidth === 0 || this.#data.length === 0) return path;
    // waveform-data resamples down only: fewer columns than pixels of peaks; otherwise each pixel is stretched.
    const data = columns < this.#data.length ? this.#data.resample({ width: columns }) : this.#data;
    const step = spanWidth / data.length;
    const full = this.#data.bits === 8 ? 128 : 32768;
    const split = layout.split && data.channels >= 2;
    const bands = split ? 2 : 1;
    const bandHeight = height / bands;
    for (let band = 0; band < bands; band++) {
      const channels = split ? [data.channel(band)] : Array.from({ length: data.channels }, (_, c) => data.channel(c));
      const middle = bandHeight * band + bandHeight / 2;
      // A little room at the band's edges.
      const reach = (bandHeight / 2) * 0.92;
      for (let i = 0; i < data.length; i++) {
        let max = 0;
        let min = 0;
        for (const channel of channels) {
          max = Math.max(max, channel.max_sample(i));
          min = Math.min(min, channel.min_sample(i));
        }
        const top = Math.round(middle - (max / full) * reach);
        const bottom = Math.round(middle - (min / full) * reach);
        if (bottom - top < 1) continue;
        const x = Math.floor(left + i * step);
        const w = Math.max(1, Math.floor(left + (i + 1) * step) - x - (step > 2 * ratio ? Math.round(ratio) : 0));
        path.rect(x, top, w, bottom - top);
      }
    }
    return path;
  }
}
