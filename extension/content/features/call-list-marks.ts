/**
 * On the Call List (the site profile's rows; started by call-list.ts on such pages only): a mark
 * on each row whose call has recordings, a button that plays them in the docked player. Marks
 * are drawn on a layer outside the table, so the table keeps its layout; rows are marked as they
 * come near the viewport; the keyboard reaches a mark right after its row's Start Time. Why, and what it costs: extension/README.md,
 * "The Call List marks".
 */
import { rowCallId, rowName } from "../../../src/extension/site-profile.js";
import type { SessionInput } from "../../../src/extension/extension-messages.js";
import { ask } from "../../shared/ask.js";
import type { FeatureContext } from "../feature-manager.js";
import { rowsInView, type RowsHint } from "../rows-in-view.js";
import type { CallRequest } from "../site-calls.js";
import { callListOf } from "./call-list.js";

const MARK_CLASS = "crec-recording-mark";
/** Calls asked for at once, for rows that do not say. */
const CONCURRENCY = 4;
/** Rows marked in one pass at most: a pass stays a few milliseconds whatever the page. */
const MAX_PER_PASS = 400;

/**
 * A call's recordings, read as the profile says. Its code (the API client, its answer's checks,
 * the profile's answer mapper) is evaluated on first use, not as the marks start: a Call List
 * whose rows say which calls have recordings (the reference interface's) never needs it until a
 * mark is clicked (bench/extension.ts).
 */
const sessionForCall = async (request: CallRequest): Promise<SessionInput | null> => (await import("../site-calls.js")).sessionForCall(request);

/** Marks the page's rows, as they come near the viewport, until `signal` aborts. */
export function markCallList(signal: AbortSignal, context: FeatureContext): void {
  const profile = context.profile!;
  const list = callListOf(profile)!;
  const ROW = list.rowSelector;
  /** Each row's call id, read once. */
  const ids = new WeakMap<Element, string | null>();
  const idOf = (row: Element): string | null => {
    if (!ids.has(row)) ids.set(row, rowCallId(row, list.callId));
    return ids.get(row)!;
  };
  /**
   * The row's own cell that the profile names (each of its cells asked in turn: a search of the
   * row's subtree for `:scope > cell` looked at every element in the row), else such a cell
   * deeper in it, else its first cell.
   */
  const cellOf = (row: HTMLTableRowElement): HTMLTableCellElement | null => {
    // Most often the first: asked before the row's cells collection is made.
    const first = row.firstElementChild;
    if (first instanceof HTMLTableCellElement && first.matches(list.markCell)) return first;
    const cells = row.cells;
    for (let i = 0; i < cells.length; i++) if (cells[i]!.matches(list.markCell)) return cells[i]!;
    const cell = row.querySelector(list.markCell);
    return cell instanceof HTMLTableCellElement ? cell : (cells[0] ?? null);
  };
  const seen = new WeakSet<Element>();
  /**
   * Rows looked at that had no box to put a mark by (hidden, say): looked at again when a table
   * or the window changes size, as showing them does.
   */
  const boxless = new Set<HTMLTableRowElement>();
  const unknown: HTMLTableRowElement[] = [];
  let running = 0;
  /**
   * The tables that hold the profile's rows, each with where the last pass found its rows near
   * the viewport and its rows ahead (the next pass looks there first). A table's own rows
   * collection, not the whole document searched for rows: on a 10,000-row Call List, that
   * search alone cost more than all of a pass's work.
   */
  const tables = new Map<HTMLTableElement, { near: RowsHint; ahead: RowsHint }>();
  /**
   * Every table whose own rows include the profile's: a page has few tables, and a table's
   * first such row is found at once. Looked for as the features start and whenever rows come or
   * go, so scrolling never has to look for tables. A table inside one of those is not looked
   * in: a list's rows do not hold another list.
   */
  const findTables = () => {
    const holdsRows = (table: HTMLTableElement) => {
      if (!tables.has(table) && table.querySelector(ROW)?.closest("table") === table) {
        tables.set(table, { near: { first: 0, end: 0 }, ahead: { first: 0, end: 0 } });
      }
    };
    // Around the tables known, not through them: looking through every element of the document
    // (getElementsByTagName) went through a long Call List's 10,000 rows, 2.5 ms at each page
    // load (bench/extension.ts). The first table is the first row's.
    const first = tables.size === 0 ? document.querySelector(ROW)?.closest("table") : null;
    if (first) holdsRows(first);
    const known = [...tables.keys()];
    const around = (root: Element) => {
      if (root instanceof HTMLTableElement) {
        if (tables.has(root)) return;
        holdsRows(root);
      }
      if (known.some((table) => root.contains(table))) {
        for (const child of root.children) around(child);
      } else {
        for (const table of root.getElementsByTagName("table")) holdsRows(table);
      }
    };
    around(document.body);
  };
  // A table that changed size has its rows elsewhere: the part looked at is looked at again.
  const marks = new Marks(signal, () => lookAgain(), { idOf, cellOf });
  /** Rows whose count is known and that wait for the next pass to be marked. */
  const queued = new Map<HTMLTableRowElement, number>();

  const askApi = () => {
    while (running < CONCURRENCY && unknown.length > 0 && !signal.aborted) {
      const row = unknown.shift()!;
      const callId = idOf(row)!;
      running++;
      sessionForCall({ origin: context.origin, profile, callId, name: "", signal })
        .then((call) => {
          if (call && call.recordings.length > 0 && row.isConnected) {
            queued.set(row, call.recordings.length);
            schedule();
          }
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
    if (seen.has(row)) return;
    seen.add(row);
    // A table's other rows (its header, a total) are not the profile's.
    if (!row.matches(ROW) || !idOf(row)) return;
    // The reference server's rows say how many recordings the user may play; a profile may
    // say what only a row with a recording has; a URL template's call needs no asking.
    // An attribute read, not `dataset` (an object made for every row).
    const said = row.getAttribute("data-recordings");
    if (said !== null) {
      if (Number(said) > 0) queued.set(row, Number(said));
    } else if (list.recordingSelector !== undefined) {
      if (row.querySelector(list.recordingSelector)) queued.set(row, 1);
    } else if (profile.recordings.kind === "template" && profile.recordings.answer === undefined) queued.set(row, 1);
    else unknown.push(row);
  };

  const pass = () => {
    if (signal.aborted) return;
    if (rowsChanged) {
      rowsChanged = false;
      for (const table of [...tables.keys()]) if (!table.isConnected) tables.delete(table);
      findTables();
    }
    // Reads first (layout is clean: this runs after a frame, or in a frame that only scrolled),
    // then writes: only when rows near the viewport need marks, and then many screens' worth.
    const unseen = (row: Element) => !seen.has(row);
    const height = innerHeight;
    const y = scrollY;
    let full = false;
    let looked = false;
    for (const [table, hints] of tables) {
      if (rowsInView(table.rows, -height, 2 * height, unseen, 1, hints.near).length === 0) continue;
      const toMark = rowsInView(table.rows, -3 * height, 10 * height, unseen, MAX_PER_PASS, hints.ahead);
      for (const row of toMark) consider(row);
      full ||= toMark.length === MAX_PER_PASS;
      looked = true;
    }
    // Nothing near to mark: the part around the viewport has been looked at before.
    if (!full) lookedAt = looked ? { top: y - 3 * height, bottom: y + 10 * height } : { top: y - height, bottom: y + 2 * height };
    askApi();
    mark();
    // More rows near than one pass takes (a very tall window): the rest in the next.
    if (full) schedule();
  };
  /** Marks the rows queued; those it could not place wait to be looked at again. */
  const mark = () => {
    for (const row of marks.update(queued)) boxless.add(row);
    queued.clear();
    // The records of the marks just added, taken at once: the observer is not called back for them.
    onRecords(observer.takeRecords());
  };
  /** Rows were added or removed since the last pass: the tables are looked at again. */
  let rowsChanged = false;
  /**
   * The part of the document (px from its top) whose rows the last pass that marked rows looked
   * at: from three screens above the viewport to ten below. Null once rows or tables changed.
   */
  let lookedAt: { top: number; bottom: number } | null = null;
  /**
   * A scroll of the document calls for a pass only when rows within a screen of the viewport may
   * not have been looked at. Reading `scrollY` lays nothing out, so a scroll within that part
   * costs a few microseconds a frame, not a pass (bench/extension.ts). A scroll inside a box of
   * the page moves its table under the layer: a pass every frame, as the marks follow.
   */
  const lookAgain = () => {
    lookedAt = null;
    for (const row of boxless) seen.delete(row);
    boxless.clear();
    schedule();
  };
  const lookedAround = () => lookedAt !== null && scrollY - innerHeight >= lookedAt.top && scrollY + 2 * innerHeight <= lookedAt.bottom;
  const onScroll = (event: Event) => {
    if (event.target === document && lookedAround()) return;
    scheduleInFrame();
  };

  let scheduled = false;
  const schedule = () => {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    // After the next frame has been laid out and painted, so reading the rows' boxes forces nothing.
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (!scheduled) return;
        scheduled = false;
        pass();
      }),
    );
  };
  /**
   * A scroll's pass runs in the frame the scroll is drawn in (its rAF): scrolling lays nothing
   * out, so its reads force nothing, and the marks it adds are painted with the frame, not in a
   * repaint of their own after it.
   */
  let inFrame = false;
  const scheduleInFrame = () => {
    if (inFrame || signal.aborted) return;
    inFrame = true;
    requestAnimationFrame(() => {
      inFrame = false;
      scheduled = false;
      pass();
    });
  };

  // One listener for every row's quick play button.
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>(`.${MARK_CLASS}`) : null;
      const callId = button?.dataset.callId;
      if (!button || !callId) return;
      event.preventDefault();
      event.stopPropagation();
      const row = marks.rowOf(button);
      const name = row ? rowName(row, list.nameFields ?? []) : "";
      void quickPlay(() => sessionForCall({ origin: context.origin, profile, callId, name, signal }), button);
    },
    { capture: true, signal },
  );

  const options = { capture: true, passive: true, signal };
  // Capturing: a scroll inside the page's own scrolling boxes counts too.
  document.addEventListener("scroll", onScroll, options);
  addEventListener("resize", lookAgain, options);
  // An image or a web font that arrives after the marks were placed moves the text they follow,
  // and a table of fixed width need not change size for it (an icon widens its column and
  // narrows the others): the marks are placed again. (Load and error events do not bubble; a
  // listener that captures hears them.)
  const placeAgain = () => {
    if (marks.placed.size === 0) return;
    marks.stale = true;
    lookAgain();
  };
  const arrived = (event: Event) => {
    const target = event.target;
    if (!(target instanceof HTMLImageElement)) return;
    for (const table of tables.keys()) {
      if (table.contains(target)) return placeAgain();
    }
  };
  document.addEventListener("load", arrived, options);
  document.addEventListener("error", arrived, options);
  document.fonts.addEventListener("loadingdone", placeAgain, { signal });
  // The page changed height (something above a table grew or shrank, say): a pass moves each
  // layer back over its table.
  const moved = new ResizeObserver(() => schedule());
  moved.observe(document.body);
  signal.addEventListener("abort", () => moved.disconnect(), { once: true });
  // Keyboard users reach a row's quick play button right after its Start Time link: a row
  // that receives focus is marked at once.
  document.addEventListener(
    "focusin",
    (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLTableRowElement>(ROW) : null;
      if (row && !seen.has(row)) {
        consider(row);
        askApi();
        mark();
      }
    },
    { capture: true, signal },
  );
  // Our own marks come and go by the hundreds: their class rules them out before any selector is matched.
  const hasRows = (nodes: NodeList) => {
    for (const node of nodes) {
      if (node instanceof Element && !node.classList.contains(MARK_CLASS) && !node.classList.contains(LAYER_CLASS) && (node.matches(ROW) || node.querySelector(ROW))) return true;
    }
    return false;
  };
  /** A record of our own marks' boxes: marks and their boxes coming and going. */
  const ours = (target: Node) => target instanceof Element && (target.classList.contains(BOX_CLASS) || target.classList.contains(CHUNK_CLASS));
  const onRecords = (records: MutationRecord[]) => {
    // Already to be looked at (as the page is parsed, records come by the thousand).
    if (rowsChanged) return;
    const rowsIn = (record: MutationRecord) => !ours(record.target) && (hasRows(record.addedNodes) || hasRows(record.removedNodes));
    if (records.some(rowsIn)) {
      rowsChanged = true;
      lookedAt = null;
      marks.stale = true;
      schedule();
    }
  };
  const observer = new MutationObserver(onRecords);
  observer.observe(document.body, { childList: true, subtree: true });
  signal.addEventListener("abort", () => observer.disconnect(), { once: true });
  // The tables parsed so far get their layers before the page is first laid out.
  findTables();
  marks.prepare(tables.keys());
  schedule();
}

const LAYER_CLASS = "crec-marks-layer";
const BOX_CLASS = "crec-marks-box";
const CHUNK_CLASS = "crec-marks-chunk";
/** How far a chunk's marks are spread at most, in px: about a screen. */
const CHUNK_SPAN = 900;
/** The mark's size and its distance from the Start Time, in px (as in content.css). */
const MARK_SIZE = 18;
const MARK_GAP = 3;
/** What a keyboard user can focus in a row's first cell: the mark follows it in the Tab order. */
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

/** How the profile's rows give their call id and the cell that takes the mark. */
interface RowReaders {
  idOf: (row: Element) => string | null;
  cellOf: (row: HTMLTableRowElement) => HTMLTableCellElement | null;
}

interface Placed {
  row: HTMLTableRowElement;
  mark: HTMLButtonElement;
  /** The first cell's focusable element (the Start Time link), or null. */
  anchor: HTMLElement | null;
  table: HTMLTableElement;
}

/** Where a mark goes on its layer (px): its top, and its left. */
interface At {
  x: number;
  y: number;
}

/** The marks a pass adds to a layer's box together, in a box of their own (see `update`). */
interface Chunk {
  box: HTMLElement;
  rtl: boolean;
  /** Each mark's place, in the marks' order (the next rows' marks join while they are below the last and within CHUNK_SPAN of the first). */
  at: At[];
  marks: HTMLButtonElement[];
}

/** A table's layer: positioned over the table's top left corner, its marks relative to it. */
interface Layer {
  element: HTMLElement;
  /**
   * The box inside it that holds the marks' chunks, contained (content.css): Chromium lays out
   * marks added there alone, where marks added to the positioned layer itself had it lay out the
   * whole document, 10,000 rows and all (bench/extension.ts).
   */
  box: HTMLElement;
  /** The table's rows run right to left: marks go before the Start Time (null: not read yet). */
  rtl: boolean | null;
  /** Where the layer is moved to (its `left` and `top`), in px. */
  x: number;
  y: number;
  /**
   * The part of the layer shown, when its table is inside boxes of the page that clip what
   * overflows them (a list that scrolls in a box of its own): a `clip-path` declaration, or "".
   */
  clip: string;
  /** The table's size when its marks were placed. */
  width: number;
  height: number;
}

/**
 * A mark for each number of recordings, cloned for each row with its title and number already
 * on it: a row's mark then has only its own id, call and label set (attributes written one by
 * one, for hundreds of rows, are much of a pass).
 */
const templates = new Map<number, HTMLButtonElement>();
const markTitle = (count: number) => (count > 1 ? `Play the call's ${count} recordings` : "Play the call's recording");
const markTemplate = (count: number): HTMLButtonElement => {
  let template = templates.get(count);
  if (!template) {
    template = document.createElement("button");
    template.type = "button";
    template.className = MARK_CLASS;
    // Out of the Tab order, which would put every mark after the page: reached from its anchor (onTab).
    template.tabIndex = -1;
    template.setAttribute("data-recordings", String(count));
    template.title = markTitle(count);
    templates.set(count, template);
  }
  return template;
};
let serial = 0;

/**
 * The marks of the page's tables, each table's on a layer of its own at the end of the
 * document, over the table: placed from the rows' boxes (all read first, then written), the
 * layer moved along when its table moves, the marks placed again when the table changes size,
 * taken away with their rows, and woven into the keyboard's order after their row's Start Time
 * link.
 */
class Marks {
  readonly placed = new Map<HTMLTableRowElement, Placed>();
  readonly layers = new Map<HTMLTableElement, Layer>();
  /** The mark that follows each anchor in the Tab order, and the other way round. */
  readonly byAnchor = new WeakMap<Element, HTMLButtonElement>();
  readonly anchorOf = new WeakMap<Element, HTMLElement>();
  /** Every mark must be placed again (a table changed size, rows came or went). */
  stale = false;
  private readonly resized: ResizeObserver;
  private backward = false;
  /** Each table's boxes that clip what overflows them, from the nearest out (see `clipOf`). */
  private clippers = new WeakMap<HTMLTableElement, HTMLElement[]>();

  private readonly rows: RowReaders;

  constructor(signal: AbortSignal, onResize: () => void, rows: RowReaders) {
    this.rows = rows;
    this.resized = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const layer = this.layers.get(entry.target as HTMLTableElement);
        const box = entry.target.getBoundingClientRect();
        if (layer && (Math.abs(box.width - layer.width) > 0.5 || Math.abs(box.height - layer.height) > 0.5)) this.stale = true;
      }
      if (this.stale) onResize();
    });
    signal.addEventListener(
      "abort",
      () => {
        this.resized.disconnect();
        for (const layer of this.layers.values()) layer.element.remove();
      },
      { once: true },
    );
    document.addEventListener("keydown", (event) => this.onTab(event), { capture: true, signal });
    document.addEventListener("focusin", (event) => this.onFocus(event), { capture: true, signal });
  }

  /**
   * Marks the rows given (row → recordings it has), moves each layer to its table, and places
   * every mark again when stale. Reads every box first, then writes. Returns the rows given that
   * have nowhere to put a mark: no box (hidden), or no cell for it.
   */
  update(add: Map<HTMLTableRowElement, number>): HTMLTableRowElement[] {
    const unplaced: HTMLTableRowElement[] = [];
    /** The rows to mark, each with its table and the cell that takes its mark, read once. */
    const rows: { row: HTMLTableRowElement; table: HTMLTableElement; cell: HTMLTableCellElement }[] = [];
    for (const row of add.keys()) {
      if (!row.isConnected || this.placed.has(row)) continue;
      const cell = this.rows.cellOf(row);
      const table = cell && row.closest("table");
      if (cell && table) rows.push({ row, table, cell });
      else unplaced.push(row);
    }
    if (this.stale) {
      for (const [row, placed] of this.placed) {
        if (!row.isConnected || !placed.table.isConnected) this.drop(row, placed);
      }
      for (const [table, layer] of this.layers) {
        if (!table.isConnected) {
          layer.element.remove();
          this.resized.unobserve(table);
          this.layers.delete(table);
        }
      }
    }
    // A table that came after the features started gets its layer now (the reads below then
    // wait for the browser to lay the page out).
    for (const { table } of rows) this.layerOf(table);
    // Reads.
    const tableBoxes = new Map<HTMLTableElement, DOMRect>();
    const tableBox = (table: HTMLTableElement) => {
      let box = tableBoxes.get(table);
      if (!box) {
        box = table.getBoundingClientRect();
        tableBoxes.set(table, box);
      }
      return box;
    };
    /** How far each layer is from its table's corner (it moves by that much), and the part of it shown. */
    const moves = new Map<Layer, { x: number; y: number; clip: string }>();
    if (this.stale) this.clippers = new WeakMap();
    for (const [table, layer] of this.layers) {
      const box = tableBox(table);
      const at = layer.element.getBoundingClientRect();
      const clip = this.clipOf(table, box);
      const x = box.left - at.left;
      const y = box.top - at.top;
      if (Math.abs(x) > 0.25 || Math.abs(y) > 0.25 || clip !== layer.clip) moves.set(layer, { x, y, clip });
    }
    const again = this.stale ? [...this.placed.values()] : [];
    const found: { row: HTMLTableRowElement; table: HTMLTableElement; cell: HTMLTableCellElement; anchor: HTMLElement | null; x: number; y: number }[] = [];
    const find = (cell: HTMLTableCellElement | null, table: HTMLTableElement, anchor: HTMLElement | null) => {
      const box = tableBox(table);
      const layer = this.layerOf(table);
      layer.rtl ??= getComputedStyle(table).direction === "rtl";
      const at = cell && markPosition(cell, anchor, layer.rtl);
      return at && { x: at.x - box.left, y: at.y - box.top };
    };
    /** The marks placed again, by chunk, at their new places on the layer. */
    const moved = new Map<HTMLElement, { placed: Placed; at: At }[]>();
    for (const placed of again) {
      const at = find(this.rows.cellOf(placed.row), placed.table, placed.anchor);
      const chunk = placed.mark.parentElement;
      if (at && chunk) {
        let marks = moved.get(chunk);
        if (!marks) moved.set(chunk, (marks = []));
        marks.push({ placed, at });
      } else {
        // Its row is hidden now (a filter of the page's): no mark over the rows shown instead.
        this.drop(placed.row, placed);
        unplaced.push(placed.row);
      }
    }
    for (const { row, table, cell } of rows) {
      const anchor = anchorIn(cell);
      const at = find(cell, table, anchor);
      if (at) found.push({ row, table, cell, anchor, ...at });
      else unplaced.push(row);
    }
    this.stale = false;
    // Writes: each table's new marks go onto its layer at once.
    for (const [layer, by] of moves) moveLayer(layer, layer.x + by.x, layer.y + by.y, by.clip);
    // A chunk whose marks moved is placed again to hold them, in the order of their rows down
    // the page (rows the page moved among others have their marks moved along).
    for (const [chunk, marks] of moved) {
      marks.sort((a, b) => a.at.y - b.at.y);
      if (marks.some(({ placed }, i) => chunk.children[i] !== placed.mark)) chunk.append(...marks.map(({ placed }) => placed.mark));
      placeChunk(
        chunk,
        marks.map(({ at }) => at),
        this.layers.get(marks[0]!.placed.table)?.rtl ?? false,
      );
    }
    // The new marks go onto their layer in chunks, each a box of its own (content.css) about a
    // screen tall: the browser lays out a new chunk, not again every mark added before it, and
    // paints a chunk again only when it changes or the part of the page it paints leaves part of
    // the chunk out (a scroll has the browser repaint the page, marks and all, several screens ahead).
    const open = new Map<HTMLElement, Chunk>();
    const chunks: Chunk[] = [];
    for (const { row, table, cell, anchor, x, y } of found) {
      const layer = this.layerOf(table);
      let chunk = open.get(layer.box);
      if (!chunk || y < chunk.at.at(-1)!.y || y - chunk.at[0]!.y > CHUNK_SPAN) {
        chunk = { box: layer.box, rtl: layer.rtl ?? false, at: [], marks: [] };
        open.set(layer.box, chunk);
        chunks.push(chunk);
      }
      chunk.marks.push(this.add(row, table, cell, anchor, add.get(row)!));
      chunk.at.push({ x, y });
    }
    for (const { box, rtl, at, marks } of chunks) {
      const chunk = document.createElement("div");
      chunk.className = CHUNK_CLASS;
      placeChunk(chunk, at, rtl);
      // All at once: one call, not one for each mark.
      chunk.append(...marks);
      box.append(chunk);
    }
    for (const [table, box] of tableBoxes) {
      const layer = this.layers.get(table);
      if (layer) {
        layer.width = box.width;
        layer.height = box.height;
      }
    }
    return unplaced;
  }

  /**
   * The tables' layers, made before the page is first laid out (when the features start, as the
   * document is parsed): added then, they cost nothing of their own; added with the first marks,
   * the browser would walk the whole page again to paint them.
   */
  prepare(tables: Iterable<HTMLTableElement>): void {
    for (const table of tables) this.layerOf(table);
  }

  /** A table's layer, made (at the document's corner, moved over the table by the next pass) if it has none. */
  private layerOf(table: HTMLTableElement): Layer {
    let layer = this.layers.get(table);
    if (!layer) {
      const element = document.createElement("div");
      element.className = LAYER_CLASS;
      const box = document.createElement("div");
      box.className = BOX_CLASS;
      element.append(box);
      layer = { element, box, rtl: null, x: 0, y: 0, clip: "", width: -1, height: -1 };
      document.body.append(element);
      this.layers.set(table, layer);
      this.resized.observe(table);
    }
    return layer;
  }

  /**
   * The part of a table's layer to show, as a `clip-path` declaration ("" for all of it): where
   * the boxes around the table that clip what overflows them (found once, and again when rows or
   * tables change) show the table, so a mark whose row has scrolled out of such a box is not
   * drawn, nor clicked, over what lies outside it. The document's own scrolling clips nothing,
   * and a table shown whole needs no clip.
   */
  private clipOf(table: HTMLTableElement, box: DOMRect): string {
    let clippers = this.clippers.get(table);
    if (!clippers) {
      clippers = [];
      for (let element = table.parentElement; element && element !== document.body && element !== document.documentElement; element = element.parentElement) {
        const style = getComputedStyle(element);
        if (style.overflowX !== "visible" || style.overflowY !== "visible") clippers.push(element);
      }
      this.clippers.set(table, clippers);
    }
    if (clippers.length === 0) return "";
    let left = -Infinity;
    let top = -Infinity;
    let right = Infinity;
    let bottom = Infinity;
    for (const element of clippers) {
      // Inside its borders, and not over its scroll bars.
      const at = element.getBoundingClientRect();
      const x = at.left + element.clientLeft;
      const y = at.top + element.clientTop;
      left = Math.max(left, x);
      top = Math.max(top, y);
      right = Math.min(right, x + element.clientWidth);
      bottom = Math.min(bottom, y + element.clientHeight);
    }
    // The whole table shown (the reference Call List's wrapper, which scrolls only when the
    // window is too narrow): no clip, which would cost every repaint a clip of its own.
    if (box.left >= left - 0.5 && box.top >= top - 0.5 && box.right <= right + 0.5 && box.bottom <= bottom + 0.5) return "";
    // On the layer, which is at the table's corner.
    const [x1, y1, x2, y2] = [left - box.left, top - box.top, Math.max(left, right) - box.left, Math.max(top, bottom) - box.top].map((n) => n.toFixed(2));
    return `clip-path:polygon(${x1}px ${y1}px,${x2}px ${y1}px,${x2}px ${y2}px,${x1}px ${y2}px)`;
  }

  /** A mark for the row (placed by its chunk: placeChunk). */
  private add(row: HTMLTableRowElement, table: HTMLTableElement, cell: HTMLTableCellElement, anchor: HTMLElement | null, count: number): HTMLButtonElement {
    const callId = this.rows.idOf(row)!;
    const mark = markTemplate(count).cloneNode() as HTMLButtonElement;
    mark.id = `crec-mark-${++serial}`;
    mark.setAttribute("data-call-id", callId);
    mark.setAttribute("aria-label", `${markTitle(count)}, call ${callId}`);
    // Its badge at the row's end corner, as the table reads.
    if (this.layers.get(table)?.rtl) mark.dir = "rtl";
    if (anchor) {
      this.byAnchor.set(anchor, mark);
      this.anchorOf.set(mark, anchor);
    } else mark.removeAttribute("tabindex"); // nothing to reach it from: in the Tab order
    // Screen readers find the mark in the cell, after the Start Time.
    const owns = cell.getAttribute("aria-owns");
    cell.setAttribute("aria-owns", owns ? `${owns} ${mark.id}` : mark.id);
    this.placed.set(row, { row, mark, anchor, table });
    return mark;
  }

  /** The row a mark belongs to. */
  rowOf(mark: HTMLButtonElement): HTMLTableRowElement | null {
    for (const placed of this.placed.values()) if (placed.mark === mark) return placed.row;
    return null;
  }

  private drop(row: HTMLTableRowElement, placed: Placed): void {
    const chunk = placed.mark.parentElement;
    placed.mark.remove();
    if (chunk?.childElementCount === 0) chunk.remove();
    this.placed.delete(row);
  }

  /** Tab from a Start Time link goes to its mark; Tab from a mark on from the link; Shift+Tab back. */
  private onTab(event: KeyboardEvent): void {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey || !(event.target instanceof HTMLElement)) return;
    const target = event.target;
    const anchor = this.anchorOf.get(target);
    if (anchor?.isConnected) {
      // From a mark: back to its link, or on from it (the browser moves on from the element focused now).
      if (event.shiftKey) event.preventDefault();
      anchor.focus();
      return;
    }
    if (event.shiftKey) {
      // Back onto a link that has a mark: the mark comes first (see onFocus).
      this.backward = true;
      setTimeout(() => (this.backward = false));
      return;
    }
    const mark = this.byAnchor.get(target);
    if (mark?.isConnected) {
      event.preventDefault();
      mark.focus();
    }
  }

  private onFocus(event: FocusEvent): void {
    if (!this.backward || !(event.target instanceof Element)) return;
    const mark = this.byAnchor.get(event.target);
    if (mark?.isConnected && event.relatedTarget !== mark) {
      this.backward = false;
      mark.focus();
    }
  }
}

/** The first cell's element that keyboard users focus (the Start Time link), if any. */
function anchorIn(cell: HTMLTableCellElement): HTMLElement | null {
  const first = cell.firstElementChild;
  if (first instanceof HTMLAnchorElement && first.hasAttribute("href")) return first;
  return cell.querySelector<HTMLElement>(FOCUSABLE);
}

/** Where a row's mark goes, in the viewport's coordinates: just after the first cell's first line of content (its anchor's, if any), centred on it. */
function markPosition(cell: HTMLTableCellElement, anchor: Element | null, rtl: boolean): { x: number; y: number } | null {
  const content = anchor ?? cell.firstElementChild;
  let boxes: DOMRectList;
  if (content) boxes = content.getClientRects();
  else {
    const range = document.createRange();
    range.selectNodeContents(cell);
    boxes = range.getClientRects();
  }
  const first = boxes[0];
  if (!first) return null;
  // Only the edge the mark goes by is read (each of a box's sides is a call into the page's DOM).
  const top = first.top;
  let edge = rtl ? first.left : first.right;
  for (let i = 1; i < boxes.length; i++) {
    const box = boxes[i]!;
    if (Math.abs(box.top - top) > 1) break;
    edge = rtl ? Math.min(edge, box.left) : Math.max(edge, box.right);
  }
  return { x: rtl ? edge - MARK_GAP - MARK_SIZE : edge + MARK_GAP, y: (top + first.bottom) / 2 - MARK_SIZE / 2 };
}

/**
 * Places a chunk and its marks (`at`: each mark's place on the layer, in the marks' order, down
 * the page): the chunk is a grid of one column (content.css), moved to its first mark and as far
 * across as its furthest row's Start Time reaches (the column's text ends at about the same place
 * in every row), with a row of the grid from each mark's top to the next one's, so each mark is
 * placed by the grid without a style of its own (extension/README.md, "The Call List marks", says
 * what that saved, and where it showed no gain). The tracks are in 1/64 px, Chromium's layout unit, measured from the chunk's
 * top, so no error adds up down a chunk. Through the CSSOM, which a page's Content Security
 * Policy allows (a style attribute it may not).
 */
function placeChunk(chunk: HTMLElement, at: readonly At[], rtl: boolean): void {
  const top = at[0]!.y;
  let left = at[0]!.x;
  for (const { x } of at) left = rtl ? Math.min(left, x) : Math.max(left, x);
  const unit = (y: number) => Math.round((y - top) * 64) / 64;
  let tracks = "";
  let run = 0;
  let size = -1;
  const flush = () => {
    if (run > 0) tracks += run === 1 ? ` ${size}px` : ` repeat(${run},${size}px)`;
  };
  for (let i = 1; i < at.length; i++) {
    const next = unit(at[i]!.y) - unit(at[i - 1]!.y);
    if (next === size) run++;
    else {
      flush();
      size = next;
      run = 1;
    }
  }
  flush();
  const height = unit(at.at(-1)!.y) + MARK_SIZE;
  // The chunk itself on whole pixels, its marks moved on by the rest (its padding): a positioned
  // box is painted from a whole pixel, so a chunk at a fraction of one drew its marks a pixel
  // apart from where the same rows' marks were drawn in another chunk.
  const [y, x] = [Math.floor(top), Math.floor(left)];
  chunk.style.cssText =
    `top:${y}px;left:${x}px;height:${height}px;padding:${(top - y).toFixed(2)}px 0 0 ${(left - x).toFixed(2)}px` + (tracks ? `;grid-template-rows:${tracks}` : "");
}

/**
 * Moves a layer: by its offsets, not a transform, which put every mark under a paint property of
 * its own that the compositor then looked at in every frame (scrolling the 10,000-row Call List,
 * about 7.5 ms of the compositor's work added over the page alone, against about 5 ms without
 * it: bench/extension.ts). The browser moves a positioned box whose size is contained without
 * laying anything else out.
 */
function moveLayer(layer: Layer, x: number, y: number, clip: string): void {
  layer.x = x;
  layer.y = y;
  layer.clip = clip;
  layer.element.style.cssText = `left:${x.toFixed(2)}px;top:${y.toFixed(2)}px;${clip}`;
}

/** Reads the call afresh (its signed URLs are short-lived) and plays it from the start. */
async function quickPlay(read: () => Promise<SessionInput | null>, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const session = await read();
    if (!session) return;
    await ask({ type: "player/load", session, index: 0, startAt: 0, play: true });
  } catch (error) {
    console.warn("call recordings: quick play failed", error);
  } finally {
    button.disabled = false;
  }
}
