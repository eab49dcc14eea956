/**
 * The list twin of the timeline in `<call-session-recordings>`: the same recordings as a table
 * (recording, who, start, length, play and download) for keyboard and screen-reader users. The
 * row of the recording the player has is marked current, with where it stands; its button
 * pauses while it plays. A recording nothing here can play is offered as a download only.
 */
import { html, nothing, type TemplateResult } from "lit";
import { formatClock, speakDuration } from "../../src/player/format-time.js";
import { isolate } from "../../src/calls/call-labels.js";
import { nothingHerePlays } from "../../src/codecs/playable-type.js";
import { downloadIcon, pauseIcon, playIcon } from "../recording-player/player-icons.js";

export interface ListRow {
  recordingId: string;
  /** "Segment 2", "Conference". */
  name: string;
  /** The person (or device), and the device and group; for a conference, the participants. */
  primary: string;
  secondary: string[];
  startMs: number;
  durationSeconds: number;
  downloadUrl: string;
  /** The API's `contentType`: one nothing here plays gets no Play button. */
  contentType?: string | undefined;
}

export interface ListView {
  rows: readonly ListRow[];
  /** The id of the heading the table is named by. */
  labelledBy: string;
  nowPlaying: { recordingId: string; currentTime: number; playing: boolean } | null;
  /** The Start column's heading, naming its time zone: "Start (UTC)". */
  startHeading: string;
  /** "11:00:30" in that time zone. */
  formatStart(ms: number): string;
  onPlay(index: number): void;
  onPause(): void;
  onDownload(event: MouseEvent, index: number): void;
}

let probe: HTMLAudioElement | undefined;
/** The media element's answer, for types outside playable-type.ts's tables. */
const canPlayType = (type: string): string => (probe ??= document.createElement("audio")).canPlayType(type);

export function renderRecordingList(view: ListView): TemplateResult {
  const { nowPlaying } = view;
  return html`<table part="list" class="list" aria-labelledby=${view.labelledBy}>
    <thead>
      <tr>
        <th scope="col">Recording</th>
        <th scope="col">Who</th>
        <th scope="col">${view.startHeading}</th>
        <th scope="col">Length</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      ${view.rows.map((row, index) => {
        const current = nowPlaying?.recordingId === row.recordingId ? nowPlaying : null;
        const playing = current?.playing ?? false;
        const spoken = `${row.name}, ${isolate(row.primary)}`;
        const unplayable = nothingHerePlays(row.contentType, canPlayType);
        return html`<tr part="list-row${current ? " list-row-current" : ""}" class=${current ? "current" : ""} aria-current=${current ? "true" : nothing}>
          <th scope="row">
            <span class="name">${row.name}</span>
            ${current
              ? html`<span part="now-playing" class="now-playing">${playing ? "Playing" : "Paused at"} ${formatClock(current.currentTime)}</span>`
              : unplayable
                ? html`<span part="not-playable" class="now-playing">Can't play in the browser</span>`
                : nothing}
          </th>
          <td class="who-cell">
            <bdi class="who">${row.primary}</bdi>
            ${row.secondary.length ? html`<span class="meta">${row.secondary.map((s, i) => html`${i ? " · " : ""}<bdi>${s}</bdi>`)}</span>` : nothing}
          </td>
          <td><time datetime=${new Date(row.startMs).toISOString()}>${view.formatStart(row.startMs)}</time></td>
          <td><span aria-hidden="true">${formatClock(row.durationSeconds)}</span><span class="visually-hidden">${speakDuration(row.durationSeconds)}</span></td>
          <td class="actions">
            ${unplayable
              ? nothing
              : html`<button
                  part="play-button"
                  class="button"
                  aria-label="${playing ? "Pause" : "Play"} ${spoken}"
                  @click=${() => (playing ? view.onPause() : view.onPlay(index))}
                >
                  ${playing ? pauseIcon : playIcon}<span class="button-text">${playing ? "Pause" : "Play"}</span>
                </button>`}
            <a
              part="download-link"
              class="button"
              href=${row.downloadUrl}
              download
              aria-label="Download ${spoken}${unplayable ? " (it can't play in the browser)" : ""}"
              @click=${(e: MouseEvent) => view.onDownload(e, index)}
              >${downloadIcon}<span class="button-text">Download</span></a
            >
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
