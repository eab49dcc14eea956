/**
 * On the Call List report: a recording mark on each row whose call has recordings this user may
 * play, a button that plays them from the start, one after another, in the docked player.
 *
 * Rows are marked as they come near the viewport, not all at load: a Call List can have ten
 * thousand rows, and marking them all costs a tenth of a second of script and a layout of the
 * whole table of most of a second (bench/extension.ts). Any change inside a table has the
 * browser lay all of it out again (about 130 ms on a 10,000-row Call List, however small the
 * change), so marks are added in few, large passes: after each frame in which the page
 * scrolled, resized or gained rows, a pass reads where the rows are (a search over their boxes,
 * in document order, with layout already clean, starting where the last pass found them), and
 * only when rows within a screen of the viewport need marks does it write, marking every row
 * from three screens above the viewport to ten below. A row that receives keyboard focus is
 * marked at once, wherever it is.
 * The marks' style sheet (call-list-marks.css) keeps them from changing the table's column
 * widths. Rows added later (paging, filtering in place) are marked the same way. The reference
 * server's rows say how many recordings the user may play (`data-recordings`); for rows that do
 * not, the reporting server's API is asked, a few rows at a time, as they come near.
 */
import type { CallDetails } from "../../../src/call-payload.js";
import { ask } from "../../shared/ask.js";
import { fetchCall, sessionOf } from "../call-api.js";
import type { Feature, FeatureContext } from "../feature-manager.js";
import { rowsInView, type RowsHint } from "../rows-in-view.js";

const ROW = "tr[data-call-id]";
const MARK_CLASS = "crec-recording-mark";
/** Calls asked for at once, for rows that do not say. */
const CONCURRENCY = 4;
/** Rows marked in one pass at most: a pass stays a few milliseconds whatever the page. */
const MAX_PER_PASS = 400;

export const callListMarks: Feature = {
  name: "call-list-marks",
  applies: (location, document) => document.querySelector(ROW) !== null || location.pathname.startsWith("/reports/call-list"),
  init(signal, context) {
    const seen = new WeakSet<Element>();
    const unknown: HTMLTableRowElement[] = [];
    let running = 0;
    /** The page's rows in document order; read again after rows are added or removed. */
    let rows: NodeListOf<HTMLTableRowElement> | null = null;
    /** Where the last pass found the rows near the viewport, and the rows ahead: the next pass looks there first. */
    const near: RowsHint = { first: 0, end: 0 };
    const ahead: RowsHint = { first: 0, end: 0 };

    const askApi = () => {
      while (running < CONCURRENCY && unknown.length > 0 && !signal.aborted) {
        const row = unknown.shift()!;
        const callId = row.dataset.callId!;
        running++;
        fetchCall(context.apiBase, callId, signal)
          .then((call) => {
            if (call && call.recordings.length > 0 && row.isConnected) mark(row, callId, call.recordings.length);
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

    const consider = (row: HTMLTableRowElement) => {
      const callId = row.dataset.callId;
      if (seen.has(row) || !callId) return;
      seen.add(row);
      const said = row.dataset.recordings;
      if (said === undefined) unknown.push(row);
      else if (Number(said) > 0) mark(row, callId, Number(said));
    };

    const pass = () => {
      if (signal.aborted) return;
      rows ??= document.querySelectorAll<HTMLTableRowElement>(ROW);
      // Reads first (layout is clean: this runs after a frame), then writes: only when rows
      // near the viewport need marks, and then many screens' worth, so that a reader scrolling
      // down costs the page one more layout of the table every several screens.
      const unseen = (row: Element) => !seen.has(row);
      const height = innerHeight;
      if (rowsInView(rows, -height, 2 * height, unseen, 1, near).length === 0) return;
      const toMark = rowsInView(rows, -3 * height, 10 * height, unseen, MAX_PER_PASS, ahead);
      for (const row of toMark) consider(row);
      askApi();
      // More rows near than one pass takes (a very tall window): the rest in the next.
      if (toMark.length === MAX_PER_PASS) schedule();
    };

    let scheduled = false;
    const schedule = () => {
      if (scheduled || signal.aborted) return;
      scheduled = true;
      // After the next frame has been laid out and painted, so reading the rows' boxes forces nothing.
      requestAnimationFrame(() =>
        setTimeout(() => {
          scheduled = false;
          pass();
        }),
      );
    };

    // One listener for every row's quick play button.
    document.addEventListener(
      "click",
      (event) => {
        const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>(`.${MARK_CLASS}`) : null;
        const callId = button?.closest<HTMLTableRowElement>(ROW)?.dataset.callId;
        if (!button || !callId) return;
        event.preventDefault();
        event.stopPropagation();
        void quickPlay(callId, context, signal, button);
      },
      { capture: true, signal },
    );

    const options = { capture: true, passive: true, signal };
    // Capturing: a scroll inside the page's own scrolling boxes counts too.
    document.addEventListener("scroll", schedule, options);
    addEventListener("resize", schedule, options);
    // Keyboard users reach a row's quick play button right after its Start Time link.
    document.addEventListener(
      "focusin",
      (event) => {
        const row = event.target instanceof Element ? event.target.closest<HTMLTableRowElement>(ROW) : null;
        if (row) {
          consider(row);
          askApi();
        }
      },
      { capture: true, signal },
    );
    // Our own marks come and go by the hundreds: their class rules them out before any selector is matched.
    const hasRows = (nodes: NodeList) => {
      for (const node of nodes) {
        if (node instanceof Element && !node.classList.contains(MARK_CLASS) && (node.matches(ROW) || node.querySelector(ROW))) return true;
      }
      return false;
    };
    const observer = new MutationObserver((records) => {
      if (records.some((record) => hasRows(record.addedNodes) || hasRows(record.removedNodes))) {
        rows = null;
        schedule();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    signal.addEventListener("abort", () => observer.disconnect(), { once: true });
    schedule();
  },
};

let template: HTMLButtonElement | undefined;

/**
 * Adds the mark to the row's first cell, right after the Start Time (and so next to it in the
 * keyboard's order): one button that plays the call, drawn by the style sheet
 * (call-list-marks.css) out of the table's flow, with a play sign and, when there are several,
 * the number of recordings (`data-recordings`). One element per row, cloned from a template:
 * hundreds of rows are marked in one pass, and each node less is less to create and paint.
 */
function mark(row: HTMLTableRowElement, callId: string, count: number): void {
  const cell = row.cells[0];
  if (!cell || cell.lastElementChild?.classList.contains(MARK_CLASS)) return;
  if (!template) {
    template = document.createElement("button");
    template.type = "button";
    template.className = MARK_CLASS;
  }
  const button = template.cloneNode() as HTMLButtonElement;
  const title = count > 1 ? `Play the call's ${count} recordings` : "Play the call's recording";
  button.setAttribute("data-recordings", String(count));
  button.title = title;
  button.setAttribute("aria-label", `${title}, call ${callId}`);
  cell.append(button);
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
