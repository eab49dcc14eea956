/**
 * Which of a long table's rows are in view, without looking at them all: the Call List marks
 * (features/call-list-marks.ts) use it after every frame that scrolled.
 */

/**
 * The rows that reach into the band from `top` to `bottom` (px from the viewport's top; a band
 * wider than the viewport looks ahead) and that `wanted` accepts, at most `max` of them, in
 * order. Rows in document order run down the page, so two binary searches find the band: the
 * first row whose box ends below its top, and the first row whose box starts below its bottom;
 * only the boxes the searches look at are read. Hidden rows have no box: a search that lands on
 * one looks at the next row shown, and hidden rows are left out.
 */
export function rowsInView<T extends Element>(rows: ArrayLike<T>, top: number, bottom: number, wanted: (row: T) => boolean, max: number): T[] {
  const first = search(rows, 0, (box) => box.bottom >= top);
  const end = search(rows, first, (box) => box.top > bottom);
  const found: T[] = [];
  for (let i = first; i < end && found.length < max; i++) {
    const row = rows[i]!;
    if (wanted(row) && shown(row.getBoundingClientRect())) found.push(row);
  }
  return found;
}

const shown = (box: DOMRect) => box.width > 0 || box.height > 0;

/** The first index from `from` whose row (the next one shown, for a hidden row) is `past`, or the length. */
function search(rows: ArrayLike<Element>, from: number, past: (box: DOMRect) => boolean): number {
  let low = from;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    let probe = middle;
    let box = rows[probe]!.getBoundingClientRect();
    while (!shown(box) && ++probe < high) box = rows[probe]!.getBoundingClientRect();
    if (probe < high && !past(box)) low = probe + 1;
    else high = middle;
  }
  return low;
}
