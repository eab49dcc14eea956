/**
 * Reads a recording's peaks (its `peaksUrl`: small JSON, never the audio) once per recording,
 * checked (src/player/silence.ts), with its silences: what the waveform and skip silence use.
 */
import { checkPeaks, findSilences, type Peaks, type SilentSpan } from "./silence.js";

export interface LoadedPeaks {
  peaks: Peaks;
  silences: SilentSpan[];
}

/** Recordings' peaks kept at once (a call's worth, and a few more). */
const KEPT = 40;
const cache = new Map<string, Promise<LoadedPeaks>>();

/** The URL without its query: signed URLs of one recording differ only there. */
const keyOf = (id: string, url: string): string => {
  try {
    const u = new URL(url, globalThis.location?.href);
    return `${id} ${u.origin}${u.pathname}`;
  } catch {
    return `${id} ${url}`;
  }
};

/** A recording's peaks and silences; rejects with what went wrong (the URL named) and is then asked again next time. */
export function loadPeaks(recordingId: string, url: string, fetcher: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<LoadedPeaks> {
  const key = keyOf(recordingId, url);
  const known = cache.get(key);
  if (known) return known;
  const loading = (async () => {
    const where = `the peaks of recording ${recordingId} (${url.split("?")[0]})`;
    const response = await fetcher(url, { credentials: "same-origin", headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`${where} answered HTTP ${response.status}`);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new Error(`${where} is not JSON`);
    }
    const peaks = checkPeaks(json, where);
    return { peaks, silences: findSilences(peaks) };
  })();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  while (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  return loading;
}

/** The peaks already read for a recording, without asking for them. */
export function peaksIfLoaded(recordingId: string, url: string): Promise<LoadedPeaks> | undefined {
  return cache.get(keyOf(recordingId, url));
}
