/**
 * Each recording's waveform on its timeline bar (issue 16), loaded by the section only when a
 * recording has peaks: a canvas put first in each such bar after the timeline renders (outside
 * Lit's parts, so re-renders leave it), a two-channel recording's parties on halves of their own
 * with who is on each, and its styles adopted beside the section's.
 */
import { css } from "lit";
import { partyWord } from "../recording-player/channel-mix-control.js";
import { colorsOf, loadPeaks, WaveformPainter } from "../recording-player/waveform-draw.js";

/** What a bar needs to show its waveform. */
export interface BarWaveform {
  recordingId: string;
  peaksUrl: string;
  /** A two-channel recording's parties, top then bottom ("Agent: Alice Jones"). */
  parties: readonly [string, string] | null;
}

const styles = css`
  .bar > .waveform {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
    color: currentColor;
    --_waveform: currentColor;
    /* Faint enough for the bar's name to read over it. */
    opacity: 0.35;
  }
  .bar > .waveform-legend {
    position: absolute;
    right: 6px;
    font-size: 0.7em;
    line-height: 1.2;
    opacity: 0.9;
    pointer-events: none;
  }
  .bar > .waveform-legend.top {
    top: 1px;
  }
  .bar > .waveform-legend.bottom {
    bottom: 1px;
  }
`;

/** Draws the bars' waveforms after each render of the timeline, and again when a bar changes size. */
export class BarWaveforms {
  readonly #painters = new Map<string, Promise<WaveformPainter | null>>();
  readonly #waves = new Map<string, BarWaveform>();
  #resize: ResizeObserver | null = null;

  /** Puts a waveform in every bar of `root` whose recording has peaks, and draws it. */
  update(root: ShadowRoot, waves: readonly (BarWaveform | null)[]): void {
    if (styles.styleSheet && !root.adoptedStyleSheets.includes(styles.styleSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    this.#waves.clear();
    for (const w of waves) if (w) this.#waves.set(w.recordingId, w);
    for (const bar of root.querySelectorAll<HTMLElement>(".bar[data-recording-id]")) {
      const wave = this.#waves.get(bar.dataset.recordingId ?? "");
      let canvas = bar.querySelector<HTMLCanvasElement>(":scope > canvas.waveform");
      if (canvas && canvas.dataset.recordingId !== wave?.recordingId) {
        // The bar now shows another recording (or one without peaks).
        bar.querySelectorAll(":scope > .waveform, :scope > .waveform-legend").forEach((e) => e.remove());
        canvas = null;
      }
      if (!wave) continue;
      if (!canvas) {
        canvas = document.createElement("canvas");
        canvas.className = "waveform";
        canvas.setAttribute("part", "recording-waveform");
        canvas.dataset.recordingId = wave.recordingId;
        bar.prepend(canvas);
        if (wave.parties) {
          wave.parties.forEach((party, i) => {
            const legend = document.createElement("span");
            legend.className = `waveform-legend ${i === 0 ? "top" : "bottom"}`;
            legend.setAttribute("part", "waveform-legend");
            legend.title = `${i === 0 ? "Top" : "Bottom"} half: ${party}`;
            legend.append(Object.assign(document.createElement("bdi"), { textContent: partyWord(party) }));
            bar.append(legend);
          });
        }
      }
      this.#resize ??= typeof ResizeObserver === "function" ? new ResizeObserver((entries) => entries.forEach((e) => void this.#draw(e.target as HTMLCanvasElement))) : null;
      this.#resize?.observe(canvas);
      void this.#draw(canvas);
    }
  }

  disconnect(): void {
    this.#resize?.disconnect();
    this.#resize = null;
  }

  async #draw(canvas: HTMLCanvasElement): Promise<void> {
    const wave = this.#waves.get(canvas.dataset.recordingId ?? "");
    if (!wave) return;
    let painter = this.#painters.get(wave.recordingId);
    if (!painter) {
      painter = loadPeaks(wave.recordingId, wave.peaksUrl).then(
        ({ peaks }) => new WaveformPainter(peaks),
        (error: unknown) => {
          // Decoration: the bar plays as it did without it.
          console.warn("call recordings: no waveform:", error instanceof Error ? error.message : error);
          this.#painters.delete(wave.recordingId);
          return null;
        },
      );
      this.#painters.set(wave.recordingId, painter);
    }
    const ready = await painter;
    if (!ready || !canvas.isConnected) return;
    ready.draw(canvas, 0, colorsOf(canvas), { from: 0, to: 1, split: wave.parties !== null && ready.channels >= 2 });
  }
}
