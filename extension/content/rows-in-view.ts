/**
 * Which of a long table's rows are in view, without looking at them all: the Call List marks
 * (features/call-list-marks.ts) use it after every frame that scrolled.
 */

/**
 * Where the previous look found its band, kept by the caller between looks: the next search
 * starts there and widens its steps until it passes the band's edge, so a page scrolled by a
 * few rows since costs a few boxes read, not a whole binary search. Any value is safe; a wrong
 * one only costs more reads.
 */
export interface RowsHint {
  first: number;
  end: number;
}

/** A table's rows as its rows collection gives them (`table.rows`): one by one, or counted. */
export interface RowList<T> {
  item(index: number): T | null;
  readonly length: number;
}

/**
 * Rows from this index on are read from a counted collection. A table's rows collection counts
 * all its rows at the first `rows[i]` or `length` (1.3–1.7 ms on a 10,000-row Call List), and
 * `item(i)` does not; but it cannot step backward, so each read before the last one walks from
 * the first row (20 reads each 10 rows back, near row 8,000: 2.6–16.9 ms; once counted, every
 * read is direct). So near the top, where a list is loaded and mostly read, rows are read one
 * by one, and a search that goes deeper counts them once (extension/README.md).
 */
export const COUNTED_FROM = 1000;

/** Reads rows by index, counting the collection only once a read goes to `COUNTED_FROM` or past it. */
class Reader<T> {
  readonly #rows: RowList<T>;
  /** The number of rows, once known (counted, or a read found the end). */
  #count = Number.POSITIVE_INFINITY;
  #counted = false;

  constructor(rows: RowList<T>) {
    this.#rows = rows;
  }

  /** The row at `index`, or null past the last one. */
  at(index: number): T | null {
    if (index >= this.#count) return null;
    if (index >= COUNTED_FROM && !this.#counted) {
      this.#counted = true;
      this.#count = this.#rows.length;
      if (index >= this.#count) return null;
    }
    const row = this.#rows.item(index);
    if (row === null) this.#count = Math.min(this.#count, index);
    return row;
  }
}

/**
 * The rows that reach into the band from `top` to `bottom` (px from the viewport's top; a band
 * wider than the viewport looks ahead) and that `wanted` accepts, at most `max` of them, in
 * order. Rows in document order run down the page, so two searches find the band: the first
 * row whose box ends below its top, and the first row whose box starts below its bottom; only
 * the boxes the searches look at are read. Hidden rows have no box: a search that lands on one
 * looks at the next row shown. Hidden rows between the band's first and last rows shown are among
 * the rows returned: telling them apart would read every row's box (on a 10,000-row Call List, that
 * was about a quarter of the time a pass of the marks took), and the caller reads the box of what it draws
 * anyway. With a `hint`, the searches start where the last look found the band, and the hint is
 * updated.
 */
export function rowsInView<T extends Element>(rows: RowList<T>, top: number, bottom: number, wanted: (row: T) => boolean, max: number, hint?: RowsHint): T[] {
  const reader = new Reader(rows);
  let first = search(reader, 0, (box) => box.bottom >= top, hint?.first);
  const end = search(reader, first, (box) => box.top > bottom, hint?.end);
  // The band starts at its first row shown (a search can land on hidden rows before it).
  while (first < end && !shown(reader.at(first)!.getBoundingClientRect())) first++;
  if (hint) Object.assign(hint, { first, end });
  const found: T[] = [];
  for (let i = first; i < end && found.length < max; i++) {
    const row = reader.at(i)!;
    if (wanted(row)) found.push(row);
  }
  return found;
}

const shown = (box: DOMRect) => box.width > 0 || box.height > 0;

/**
 * The first index from `from` whose row (the next one shown, for a hidden row) is `past`, or the
 * number of rows. It brackets the answer with steps of 1, 2, 4… (from `near` when given, up or
 * down, else up from `from`), then halves the bracket; the number of rows is never needed, the
 * end being where a read finds no row.
 */
function search(rows: Reader<Element>, from: number, past: (box: DOMRect) => boolean, near?: number): number {
  let low = from;
  /** An index at or after the answer: unknown until a read finds one (the end of the rows, at the latest). */
  let high = Number.POSITIVE_INFINITY;
  /**
   * The row at `index`, or the next one shown before `high`, when it is not past; -1 when it is
   * past (or none is shown: everything from `high`, or from the last row, on is past).
   */
  const before = (index: number): number => {
    for (let probe = index; probe < high; probe++) {
      const row = rows.at(probe);
      if (row === null) return -1;
      const box = row.getBoundingClientRect();
      if (shown(box)) return past(box) ? -1 : probe;
    }
    return -1;
  };
  if (near !== undefined && Number.isInteger(near) && near >= low) {
    const at = before(near);
    if (at < 0) {
      // The answer is `near` or before it.
      high = near;
      let step = 1;
      while (high - step >= low) {
        const probe = before(high - step);
        if (probe >= 0) {
          low = probe + 1;
          break;
        }
        high -= step;
        step *= 2;
      }
    } else {
      // The answer is after `near` (and after the row shown there).
      low = at + 1;
    }
  }
  // Up from `low` until a step is past (the end of the rows is).
  for (let step = 1; high === Number.POSITIVE_INFINITY; step *= 2) {
    const probe = before(low + step - 1);
    if (probe < 0) high = low + step - 1;
    else low = probe + 1;
  }
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const probe = before(middle);
    if (probe < 0) high = middle;
    else low = probe + 1;
  }
  return low;
}
