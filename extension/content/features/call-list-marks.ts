/**
 * On the Call List report: a recording mark on each row whose call has recordings this user may
 * play, with a quick play button that plays them from the start, one after another, in the
 * docked player. Rows added later (paging, filtering in place) get theirs too. The reference
 * server's rows say how many recordings the user may play (`data-recordings`); for rows that do
 * not, the reporting server's API is asked, a few rows at a time.
 */
import type { CallDetails } from "../../../src/call-payload.js";
import { ask } from "../../shared/ask.js";
import { fetchCall, sessionOf } from "../call-api.js";
import type { Feature, FeatureContext } from "../feature-manager.js";

const ROW = "tr[data-call-id]";
const MARK_CLASS = "crec-recording-mark";
/** Calls asked for at once, for rows that do not say. */
const CONCURRENCY = 4;

export const callListMarks: Feature = {
  name: "call-list-marks",
  applies: (location, document) => document.querySelector(ROW) !== null || location.pathname.startsWith("/reports/call-list"),
  init(signal, context) {
    const seen = new WeakSet<Element>();
    const unknown: HTMLTableRowElement[] = [];
    let running = 0;

    const askApi = () => {
      while (running < CONCURRENCY && unknown.length > 0 && !signal.aborted) {
        const row = unknown.shift()!;
        const callId = row.dataset.callId!;
        running++;
        fetchCall(context.apiBase, callId, signal)
          .then((call) => {
            if (call && call.recordings.length > 0 && row.isConnected) mark(row, callId, call.recordings.length, context, signal);
          })
          .catch((error: unknown) => {
            if (!signal.aborted) console.warn(`call recordings: could not read call ${callId}: ${String(error)}`);
          })
          .finally(() => {
            running--;
            askApi();
          });
      }
    };

    const scan = (root: Element | Document) => {
      const rows = root instanceof HTMLTableRowElement && root.matches(ROW) ? [root] : [...root.querySelectorAll<HTMLTableRowElement>(ROW)];
      for (const row of rows) {
        const callId = row.dataset.callId;
        if (seen.has(row) || !callId) continue;
        seen.add(row);
        const said = row.dataset.recordings;
        if (said === undefined) unknown.push(row);
        else if (Number(said) > 0) mark(row, callId, Number(said), context, signal);
      }
      askApi();
    };

    scan(document);
    const observer = new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) scan(node);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    signal.addEventListener("abort", () => observer.disconnect(), { once: true });
  },
};

/** Adds the mark and the quick play button to the row's first cell. */
function mark(row: HTMLTableRowElement, callId: string, count: number, context: FeatureContext, signal: AbortSignal): void {
  const cell = row.cells[0];
  if (!cell || cell.querySelector(`.${MARK_CLASS}`)) return;
  const label = `${count} recording${count === 1 ? "" : "s"} you may play`;

  const wrapper = document.createElement("span");
  wrapper.className = MARK_CLASS;
  wrapper.dataset.recordings = String(count);
  // Styled through the DOM, not a style sheet: a reporting site's CSP may refuse inline styles.
  Object.assign(wrapper.style, { display: "inline-flex", alignItems: "center", gap: "0.3em", marginInlineStart: "0.5em", verticalAlign: "middle" });

  const badge = document.createElement("span");
  badge.className = "crec-recording-count";
  badge.setAttribute("role", "img");
  badge.setAttribute("aria-label", label);
  badge.title = label;
  badge.textContent = `\u{1F399}\uFE0E${count > 1 ? `\u2009${count}` : ""}`;
  Object.assign(badge.style, { fontSize: "0.85em", color: "#1d4ed8", whiteSpace: "nowrap" });

  const button = document.createElement("button");
  button.type = "button";
  button.className = "crec-quick-play";
  button.textContent = "\u25B6\uFE0E";
  button.title = count > 1 ? `Play the call's ${count} recordings` : "Play the call's recording";
  button.setAttribute("aria-label", `${button.title}, call ${callId}`);
  Object.assign(button.style, {
    font: "inherit",
    fontSize: "0.8em",
    lineHeight: "1",
    padding: "0.15em 0.45em",
    border: "1px solid #1d4ed8",
    borderRadius: "999px",
    background: "#fff",
    color: "#1d4ed8",
    cursor: "pointer",
  });
  button.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    void quickPlay(callId, context, signal, button);
  });

  wrapper.append(badge, button);
  cell.append(wrapper);
}

/** Reads the call afresh (its signed URLs are short-lived) and plays it from the start. */
async function quickPlay(callId: string, context: FeatureContext, signal: AbortSignal, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const call: CallDetails | null = await fetchCall(context.apiBase, callId, signal);
    if (!call || call.recordings.length === 0) return;
    await ask({ type: "player/load", session: sessionOf(call, context.origin, context.apiBase), index: 0, startAt: 0, play: true });
  } catch (error) {
    console.warn("call recordings: quick play failed", error);
  } finally {
    button.disabled = false;
  }
}
