/**
 * Saves a recording under the readable name the reporting server gives it. The name comes from
 * the download URL's `Content-Disposition` (asked for with HEAD) and is passed on explicitly, so
 * both browsers use it; an expired link is renewed first. Only audio is saved (see below). The
 * site's cookies go with these requests, as with the browser's own download: sites that keep
 * their recordings behind their sign-in (FusionPBX, FreePBX) answer nothing without them, and
 * every URL here is one the site's own page gave (see authorize.ts).
 */
import browser from "webextension-polyfill";
import type { SessionRecording } from "../../src/extension/background-playback-state.js";
import { readUpTo, SNIFF_BYTES, sniffAudioFormat, type SniffedAudio } from "../../src/codecs/audio-format.js";
import { audioExtension, audioFileName, fileNameFromDisposition, safeFileName } from "../../src/extension/download-name.js";

export interface DownloadSource {
  recording: SessionRecording;
  /** Fresh URLs for the recording, when its download link has expired. */
  renew: () => Promise<SessionRecording | undefined>;
}

interface DownloadHead {
  status: number;
  name: string | null;
  contentType: string;
}

async function readHead(url: string): Promise<DownloadHead> {
  const response = await fetch(url, { method: "HEAD", credentials: "include", cache: "no-store" });
  return { status: response.status, name: fileNameFromDisposition(response.headers.get("content-disposition")), contentType: response.headers.get("content-type") ?? "" };
}

/** The audio the answer holds, judged by its first bytes (its type alone could be anything). */
async function sniffAnswer(url: string, head: DownloadHead): Promise<SniffedAudio> {
  const response = await fetch(url, { headers: { range: `bytes=0-${SNIFF_BYTES - 1}` }, credentials: "include", cache: "no-store" });
  if (!response.ok) throw new Error(`the server answered ${response.status} for the download`);
  // A server that ignores the range sends the whole file: only its start is read.
  const bytes = await readUpTo(response, SNIFF_BYTES);
  return sniffAudioFormat(bytes, { fileName: head.name, contentType: head.contentType });
}

/**
 * Saves a recording, only when the answer is audio: its first bytes must be audio that the
 * extension knows, whatever type the server claimed (an `audio/*` type with bytes of no known
 * format is saved too, as the server's word). The name ends as that audio.
 */
export async function downloadRecording({ recording, renew }: DownloadSource): Promise<number> {
  let url = recording.downloadUrl ?? recording.src;
  let head = await readHead(url);
  if (head.status === 403 || head.status === 401 || head.status === 404) {
    const renewed = await renew();
    if (!renewed) throw new Error("the download link expired and could not be renewed");
    url = renewed.downloadUrl ?? renewed.src;
    head = await readHead(url);
  }
  if (head.status >= 400) throw new Error(`the server answered ${head.status} for the download`);
  const sniffed = await sniffAnswer(url, head);
  const extension = audioExtension(sniffed.kind) ?? (/^audio\//i.test(head.contentType) ? ".audio" : null);
  if (!extension) throw new Error(`the server's answer is not audio (${head.contentType.slice(0, 60) || "no type"}), so it was not saved`);
  const title = recording.title || recording.id;
  return browser.downloads.download({ url, filename: audioFileName(head.name ?? title, extension, safeFileName(title, "recording")), saveAs: false, conflictAction: "uniquify" });
}
