/**
 * Saves a recording under the readable name the reporting server gives it. The name comes from
 * the download URL's `Content-Disposition` (asked for with HEAD) and is passed on explicitly, so
 * both browsers use it; an expired link is renewed first.
 */
import browser from "webextension-polyfill";
import type { SessionRecording } from "../../src/background-playback-state.js";
import { fileNameFromDisposition, safeFileName } from "../../src/download-name.js";

export interface DownloadSource {
  recording: SessionRecording;
  /** Fresh URLs for the recording, when its download link has expired. */
  renew: () => Promise<SessionRecording | undefined>;
}

async function readName(url: string): Promise<{ status: number; name: string | null }> {
  const response = await fetch(url, { method: "HEAD", credentials: "omit", cache: "no-store" });
  return { status: response.status, name: fileNameFromDisposition(response.headers.get("content-disposition")) };
}

export async function downloadRecording({ recording, renew }: DownloadSource): Promise<number> {
  let url = recording.downloadUrl ?? recording.src;
  let head = await readName(url);
  if (head.status === 403 || head.status === 401) {
    const renewed = await renew();
    if (!renewed) throw new Error("the download link expired and could not be renewed");
    url = renewed.downloadUrl ?? renewed.src;
    head = await readName(url);
  }
  if (head.status >= 400) throw new Error(`the server answered ${head.status} for the download`);
  const fallback = safeFileName(`${recording.title || recording.id}.wav`);
  return browser.downloads.download({ url, filename: safeFileName(head.name ?? fallback, fallback), saveAs: false, conflictAction: "uniquify" });
}
