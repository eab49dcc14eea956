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
export function rowsInView<T extends Element>(rows: ArrayLike<T>, top: number, bottom: number, wanted: (row: T) => boolean, max: number, hint?: RowsHint): T[] {
  let first = search(rows, 0, (box) => box.bottom >= top, hint?.first);
  const end = search(rows, first, (box) => box.top > bottom, hint?.end);
  // The band starts at its first row shown (a search can land on hidden rows before it).
  while (first < end && !shown(rows[first]!.getBoundingClientRect())) first++;
  if (hint) Object.assign(hint, { first, end });
  const found: T[] = [];
  for (let i = first; i < end && found.length < max; i++) {
    const row = rows[i]!;
    if (wanted(row)) found.push(row);
  }
  return found;
}

const shown = (box: DOMRect) => box.width > 0 || box.height > 0;

/**
 * The first index from `from` whose row (the next one shown, for a hidden row) is `past`, or the
 * length. Starting `near` an index, it first brackets the answer with steps of 1, 2, 4… from
 * there, then halves the bracket.
 */
function search(rows: ArrayLike<Element>, from: number, past: (box: DOMRect) => boolean, near?: number): number {
  let low = from;
  let high = rows.length;
  /**
   * The row at `index`, or the next one shown before `high`, when it is not past; -1 when it is
   * past (or none is shown: everything from `high` on is past).
   */
  const before = (index: number): number => {
    let probe = index;
    let box = rows[probe]!.getBoundingClientRect();
    while (!shown(box) && ++probe < high) box = rows[probe]!.getBoundingClientRect();
    return probe < high && !past(box) ? probe : -1;
  };
  if (near !== undefined && Number.isInteger(near) && near >= low && near < high) {
    let step = 1;
    const at = before(near);
    if (at < 0) {
      // The answer is `near` or before it.
      high = near;
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
      while (low + step - 1 < high) {
        const probe = before(low + step - 1);
        if (probe < 0) {
          high = low + step - 1;
          break;
        }
        low = probe + 1;
        step *= 2;
      }
    }
  }
  while (low < high) {
    const middle = (low + high) >> 1;
    const probe = before(middle);
    if (probe < 0) high = middle;
    else low = probe + 1;
  }
  return low;
}
