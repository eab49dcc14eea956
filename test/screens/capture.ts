/**
 * What the screenshot tests share: the widths and schemes, holding a page still, and cutting
 * elements out of one capture of the viewport.
 */
import assert from "node:assert/strict";
import { PNG } from "pngjs";

export const WIDTHS = [1280, 400] as const;
export const SCHEMES = ["light", "dark"] as const;
export type Scheme = (typeof SCHEMES)[number];
/** Tall enough for the section and the docked bar at 400 px, one above the other. */
export const HEIGHT = 900;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  inView: boolean;
}

/** Two frames, then every animation stopped where it stands (the harness's `stillAnimations`). */
export async function settle(evaluate: (fn: () => Promise<void>) => Promise<unknown>): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper the page lacks.
  await evaluate(async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      if (i === 0) (window as unknown as { stillAnimations?: () => void }).stillAnimations?.();
    }
  });
}

/**
 * In the page: whether every bar of the section's timeline has its waveform drawn (one canvas per
 * bar, each with something on it). The waveforms load after the section, on their own.
 */
export const barWaveformsDrawn = (): boolean => {
  const root = document.querySelector("call-session-recordings")?.shadowRoot;
  if (!root) return false;
  const bars = root.querySelectorAll(".bar[data-recording-id]").length;
  const canvases = [...root.querySelectorAll<HTMLCanvasElement>('[part~="recording-waveform"]')];
  return (
    bars > 0 &&
    canvases.length === bars &&
    canvases.every((canvas) => {
      if (canvas.width === 0 || canvas.height === 0) return false;
      const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    })
  );
};

/** The Call List's first marked call with one recording and with several, by call id (run in the page). */
export const markedCallRows = (): { one: string | undefined; several: string | undefined } => {
  const marks = [...document.querySelectorAll<HTMLElement>(".crec-recording-mark")];
  return { one: marks.find((m) => m.dataset.recordings === "1")?.dataset.callId, several: marks.find((m) => Number(m.dataset.recordings) > 1)?.dataset.callId };
};

export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Screenshots of elements: one capture of the part of the viewport that holds them all, cut to
 * each element's box (in whole pixels), as element screenshots would be but with one capture.
 * `screenshot` captures `clip`, given in viewport coordinates (no scrolling, no resizing: fixed
 * elements stay where they are).
 */
export async function captureElements(
  evaluate: (fn: (selectors: string[]) => (Box | null)[], selectors: string[]) => Promise<(Box | null)[]>,
  screenshot: (clip: Clip) => Promise<Uint8Array>,
  selectors: string[],
): Promise<PNG[]> {
  if (selectors.length === 0) return [];
  const boxes = await evaluate((all) => {
    return all.map((selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const x = Math.max(0, Math.round(r.left));
      const y = Math.max(0, Math.round(r.top));
      // Within half a pixel of the viewport's edge is at its edge (a docked bar's bottom).
      const bottom = Math.min(innerHeight, Math.ceil(r.bottom - 0.5));
      return { x, y, width: Math.min(innerWidth, Math.ceil(r.right - 0.5)) - x, height: bottom - y, inView: r.bottom <= innerHeight + 0.5 };
    });
  }, selectors);
  const found = boxes.map((box, i) => {
    assert.ok(box, `${selectors[i]} is on the page`);
    assert.ok(box.inView && box.width > 0 && box.height > 0, `${selectors[i]} is in view, whole (${JSON.stringify(box)})`);
    return box;
  });
  const x = Math.min(...found.map((b) => b.x));
  const y = Math.min(...found.map((b) => b.y));
  const clip = { x, y, width: Math.max(...found.map((b) => b.x + b.width)) - x, height: Math.max(...found.map((b) => b.y + b.height)) - y };
  const shot = PNG.sync.read(Buffer.from(await screenshot(clip)));
  assert.equal(`${shot.width}×${shot.height}`, `${clip.width}×${clip.height}`, "the capture is of the size asked for");
  return found.map((box) => {
    const out = new PNG({ width: box.width, height: box.height });
    PNG.bitblt(shot, out, box.x - clip.x, box.y - clip.y, box.width, box.height, 0, 0);
    return out;
  });
}

