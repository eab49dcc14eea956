/**
 * Recordings kept as files: a dataset may name, for a recording, a file in the recordings folder
 * (`--recordings DIR`, by default the dataset file's folder) instead of generated audio. What a
 * file is comes from its header, never from its name.
 */
import { open, type FileHandle } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { SNIFF_BYTES, announcedContentType, audioExtension, frameLayoutOf, sniffAudioFormat, type SniffedAudio } from "../src/codecs/audio-format.js";
import { durationOf } from "../src/codecs/frame-layout.js";


/** What the import learned about a recording's file. */
export interface RecordingFileInfo {
  /** Absolute path. */
  path: string;
  size: number;
  /** "wav", "mp3", "gsm", "amr-nb", … (the sniffer's kind). */
  kind: string;
  /** A human name of the format: "GSM 6.10 in WAV". */
  formatName: string;
  /** As the API announces it: for a WAV no browser decodes, with its codec (`audio/wav; codec=31`). */
  contentType: string;
  /** The extension a download is named with: ".wav", ".gsm", ".mp3", … */
  extension: string;
  /** Seconds of audio, when the header and size tell (WAV); null for formats that need decoding to know. */
  durationSeconds: number | null;
  /** How many channels its header says it has (WAV); null for formats whose header does not tell. */
  channelCount: number | null;
}

export type InspectResult = { ok: true; info: RecordingFileInfo } | { ok: false; message: string };

/** The absolute path of `file` inside `dir`, or null when it would lie outside it. */
export function recordingPath(dir: string, file: string): string | null {
  const root = resolve(dir);
  const path = resolve(root, file);
  const inside = relative(root, path);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) return null;
  return path;
}

function quoted(file: string): string {
  return JSON.stringify(file);
}

/** Why a file could not be opened, in words. */
function openProblem(file: string, path: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return `${quoted(file)} is missing: there is no file ${path}`;
    case "EACCES":
    case "EPERM":
      return `${quoted(file)} cannot be read: permission denied (${path})`;
    case "EISDIR":
      return `${quoted(file)} is a folder, not a recording (${path})`;
    default:
      return `${quoted(file)} cannot be read: ${(error as Error).message}`;
  }
}

async function readHead(handle: FileHandle, size: number): Promise<Uint8Array> {
  const length = Math.min(size, SNIFF_BYTES);
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Seconds of audio in a sniffed file of `size` bytes, when the header and size tell. */
export function fileDuration(sniffed: SniffedAudio, size: number): number | null {
  const layout = frameLayoutOf(sniffed);
  if (layout) {
    let seconds = durationOf(layout, size);
    // Compressed WAV pads its last block; the fact chunk has the exact count.
    if (sniffed.kind === "wav" && sniffed.factSamples && sniffed.format?.codec === "gsm610") {
      seconds = Math.min(seconds, sniffed.factSamples / layout.sampleRate);
    }
    return Number.isFinite(seconds) ? seconds : null;
  }
  if (sniffed.kind === "wav" && sniffed.format && sniffed.dataOffset !== null && sniffed.format.byteRate > 0) {
    const declared = sniffed.dataLength && sniffed.dataLength !== 0xffffffff ? sniffed.dataLength : Infinity;
    return Math.min(declared, Math.max(0, size - sniffed.dataOffset)) / sniffed.format.byteRate;
  }
  return null;
}

/**
 * Opens the recording `file` of the recordings folder `dir` and says what it holds, or why it
 * cannot be used. Reads at most the first {@link SNIFF_BYTES} bytes.
 *
 * At import every named file is opened and its first bytes read: a file that is missing, cannot
 * be read or is not audio the server recognises (`src/codecs/audio-format.ts`) refuses the whole
 * dataset, each one named. What the file is comes from its header, never from its name, and its
 * length from the header and its size where the format has fixed-size frames (WAV), else from the
 * segment's times.
 */
export async function inspectRecordingFile(dir: string, file: string): Promise<InspectResult> {
  const path = recordingPath(dir, file);
  if (!path) return { ok: false, message: `${quoted(file)} is outside the recordings folder ${resolve(dir)}` };
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    return { ok: false, message: openProblem(file, path, error) };
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, message: `${quoted(file)} is a folder, not a recording (${path})` };
    if (!stat.isFile()) return { ok: false, message: `${quoted(file)} is not a regular file (${path})` };
    if (stat.size === 0) return { ok: false, message: `${quoted(file)} is empty (${path})` };
    const head = await readHead(handle, stat.size);
    const sniffed = sniffAudioFormat(head, { fileName: file });
    if (sniffed.kind === "unknown") {
      return { ok: false, message: `${quoted(file)} is not a recording in any audio format the server recognises (${path})` };
    }
    if (sniffed.kind === "wav" && (!sniffed.format || sniffed.dataOffset === null)) {
      const why = head.length === stat.size
        ? `is cut short: its ${stat.size} bytes end before the WAV header's ${sniffed.format ? "audio data" : "format"}`
        : `has a WAV header the server cannot read (no audio data within its first ${SNIFF_BYTES} bytes)`;
      return { ok: false, message: `${quoted(file)} ${why} (${path})` };
    }
    const durationSeconds = fileDuration(sniffed, stat.size);
    if (durationSeconds === 0) return { ok: false, message: `${quoted(file)} holds no audio: its data ends with its header (${path})` };
    return {
      ok: true,
      info: {
        path,
        size: stat.size,
        kind: sniffed.kind,
        formatName: sniffed.name,
        contentType: announcedContentType(sniffed),
        extension: audioExtension(sniffed.kind) ?? ".bin",
        durationSeconds,
        channelCount: sniffed.kind === "wav" && sniffed.format ? sniffed.format.channels : null,
      },
    };
  } catch (error) {
    return { ok: false, message: `${quoted(file)} cannot be read: ${(error as Error).message}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A recording's file opened for one request: its size, what it is, and its bytes on demand. */
export interface OpenedRecordingFile {
  size: number;
  contentType: string;
  /** Changes whenever the file does (size, modification time, inode). */
  version: string;
  /** Streams bytes [start, end] from disk and closes the file when done or cancelled. */
  stream(start: number, end: number): ReadableStream<Uint8Array>;
  /** Closes the file without streaming it (HEAD, 304, 416). */
  close(): Promise<void>;
}

/** The file is gone or unreadable since the import. */
export class RecordingFileError extends Error {
  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
    this.name = "RecordingFileError";
  }
}

/**
 * Opens a recording's file to serve it; throws {@link RecordingFileError} when it cannot be.
 *
 * When serving, the file is opened afresh for every request and streamed from disk for the bytes
 * asked for, never read whole; its content type is read again from its header, so a file replaced
 * since the import is served as what it now is.
 */
export async function openRecordingFile(path: string): Promise<OpenedRecordingFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new RecordingFileError(`the recording's file cannot be read (${code ?? "error"})`, code === "ENOENT" || code === "ENOTDIR");
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new RecordingFileError("the recording's file is not a regular file", true);
    const head = await readHead(handle, stat.size);
    const sniffed = sniffAudioFormat(head, { fileName: path });
    let used = false;
    return {
      size: stat.size,
      contentType: sniffed.contentType,
      version: `${stat.size}:${Math.floor(stat.mtimeMs)}:${stat.ino}`,
      stream(start, end) {
        used = true;
        const nodeStream = handle.createReadStream({ start, end, autoClose: true, highWaterMark: 64 * 1024 });
        return Readable.toWeb(nodeStream) as ReadableStream<Uint8Array>;
      },
      async close() {
        if (!used) await handle.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof RecordingFileError) throw error;
    throw new RecordingFileError(`the recording's file cannot be read: ${(error as Error).message}`, false);
  }
}
