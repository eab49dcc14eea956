/**
 * Each recording's waveform on its timeline bar (issue 16): a canvas per bar whose recording has
 * peaks, drawn after the timeline renders, a two-channel recording's parties on halves of their
 * own. The drawing is the player's (a dynamic import, made only when a bar has peaks).
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { loadDrawing } from "../recording-player/waveform-controller.js";
import type { WaveformPainter } from "../recording-player/waveform-draw.js";

/** What a bar needs to show its waveform. */
export interface BarWaveform {
  recordingId: string;
  peaksUrl: string;
  /** A two-channel recording's parties, top then bottom ("Agent: Alice Jones"). */
  parties: readonly [string, string] | null;
}

/** "Agent: Alice Jones" → "Agent". */
const partyWord = (label: string): string => {
  const at = label.indexOf(": ");
  return at > 0 ? label.slice(0, at) : label;
};

/** The canvas (and, for two parties, who is on each half) inside a bar. */
export function renderBarWaveform(wave: BarWaveform | null | undefined): TemplateResult | typeof nothing {
  if (!wave) return nothing;
  return html`<canvas part="recording-waveform" class="waveform" data-recording-id=${wave.recordingId}></canvas>${wave.parties
      ? html`<span part="waveform-legend" class="waveform-legend top" title=${`Top half: ${wave.parties[0]}`}><bdi>${partyWord(wave.parties[0])}</bdi></span
          ><span part="waveform-legend" class="waveform-legend bottom" title=${`Bottom half: ${wave.parties[1]}`}><bdi>${partyWord(wave.parties[1])}</bdi></span>`
      : nothing}`;
}

export const barWaveformStyles = css`
  .bar .waveform {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
    color: currentColor;
    --_waveform: currentColor;
    opacity: 0.55;
  }
  .waveform-legend {
    position: absolute;
    right: 6px;
    font-size: 0.7em;
    line-height: 1.2;
    opacity: 0.9;
    pointer-events: none;
  }
  .waveform-legend.top {
    top: 1px;
  }
  .waveform-legend.bottom {
    bottom: 1px;
  }
`;

/** Draws the bars' waveforms after each render, and again when a bar changes size. */
export class BarWaveforms {
  readonly #painters = new Map<string, Promise<WaveformPainter | null>>();
  readonly #observed = new WeakSet<HTMLCanvasElement>();
  #resize: ResizeObserver | null = null;

  /** Draws every bar canvas in `root` (`waves`: each recording's, by id). */
  update(root: ParentNode, waves: readonly (BarWaveform | null)[]): void {
    const byId = new Map(waves.filter((w): w is BarWaveform => w !== null).map((w) => [w.recordingId, w]));
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[part~="recording-waveform"]')) {
      const wave = byId.get(canvas.dataset.recordingId ?? "");
      if (!wave) continue;
      if (!this.#observed.has(canvas) && typeof ResizeObserver === "function") {
        this.#observed.add(canvas);
        this.#resize ??= new ResizeObserver((entries) => {
          for (const entry of entries) void this.#draw(entry.target as HTMLCanvasElement, byId.get((entry.target as HTMLCanvasElement).dataset.recordingId ?? ""));
        });
        this.#resize.observe(canvas);
      }
      void this.#draw(canvas, wave);
    }
  }

  disconnect(): void {
    this.#resize?.disconnect();
    this.#resize = null;
  }

  async #draw(canvas: HTMLCanvasElement, wave: BarWaveform | undefined): Promise<void> {
    if (!wave) return;
    let painter = this.#painters.get(wave.recordingId);
    if (!painter) {
      painter = (async () => {
        try {
          const drawing = await loadDrawing();
          const { peaks } = await drawing.loadPeaks(wave.recordingId, wave.peaksUrl);
          return new drawing.WaveformPainter(peaks);
        } catch (error) {
          // Decoration: the bar plays as it did without it.
          console.warn("call recordings: no waveform:", error instanceof Error ? error.message : error);
          this.#painters.delete(wave.recordingId);
          return null;
        }
      })();
      this.#painters.set(wave.recordingId, painter);
    }
    const ready = await painter;
    if (!ready || !canvas.isConnected) return;
    const drawing = await loadDrawing();
    ready.draw(canvas, 0, drawing.colorsOf(canvas), { from: 0, to: 1, split: wave.parties !== null && ready.channels >= 2 });
  }
}
