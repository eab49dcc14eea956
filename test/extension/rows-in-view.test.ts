import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { COUNTED_FROM, rowsInView, type RowList, type RowsHint } from "../../extension/content/rows-in-view.js";

/** A row of a table laid out 30 px a row, `scrollTop` px down; hidden rows have no box. */
interface FakeRow {
  index: number;
  hidden: boolean;
  reads: { count: number };
  getBoundingClientRect(): DOMRect;
}

function table(count: number, scrollTop: number, hidden: (i: number) => boolean = () => false) {
  const reads = { count: 0 };
  const rows: FakeRow[] = [];
  let y = 100 - scrollTop;
  for (let index = 0; index < count; index++) {
    const isHidden = hidden(index);
    const top = y;
    if (!isHidden) y += 30;
    rows.push({
      index,
      hidden: isHidden,
      reads,
      getBoundingClientRect: () => {
        reads.count++;
        return (isHidden ? { top: 0, bottom: 0, width: 0, height: 0 } : { top, bottom: top + 30, width: 800, height: 30 }) as DOMRect;
      },
    });
  }
  return { rows, reads };
}

/**
 * What a look at every row would find: the rows from the first one shown in the band to the last,
 * and the hidden rows between them (telling those apart would read their boxes).
 */
function everyRowInView(rows: FakeRow[], height: number, top = -height, bottom = 2 * height): number[] {
  const inBand = rows.filter((r) => {
    if (r.hidden) return false;
    const box = r.getBoundingClientRect();
    return box.bottom >= top && box.top <= bottom;
  });
  if (inBand.length === 0) return [];
  return rows.slice(inBand[0]!.index, inBand.at(-1)!.index + 1).map((r) => r.index);
}

/**
 * The rows as a table's rows collection gives them: `item(i)`, and a `length` that counts them
 * all (in a browser, 1.3–1.7 ms for 10,000 rows), whose reads are counted in `counts.length`.
 */
function elements(rows: FakeRow[], counts = { length: 0 }): RowList<Element> {
  const list = rows as unknown as Element[];
  return {
    item: (index) => list[index] ?? null,
    get length() {
      counts.length++;
      return list.length;
    },
  };
}
const indexes = (found: Element[]) => (found as unknown as FakeRow[]).map((r) => r.index);

describe("rowsInView", () => {
  test("finds the rows within a screenful of the viewport, reading the boxes of its two searches only", () => {
    for (const scrollTop of [0, 15, 4_000, 150_000, 299_000, 400_000]) {
      const { rows, reads } = table(10_000, scrollTop);
      const found = indexes(rowsInView(elements(rows), -700, 1400, () => true, 1_000));
      // Two searches that bracket the band's edge in steps of 1, 2, 4… and halve the bracket
      // (about 25 boxes from the top of 10,000 rows, 13 across the band), and the band's first
      // row: not one for each of the ~70 rows found.
      assert.ok(reads.count <= 45, `${reads.count} boxes read at ${scrollTop}`);
      assert.deepEqual(found, everyRowInView(rows, 700), `scrolled ${scrollTop} px`);
    }
  });

  test("finds the rows in view when the search lands on hidden ones, hidden rows among them included", () => {
    for (const [name, hidden] of [
      ["every other row hidden", (i: number) => i % 2 === 1],
      ["long hidden runs", (i: number) => i % 1000 < 700],
      ["all but the last rows hidden", (i: number) => i < 9_990],
    ] as const) {
      for (const scrollTop of [0, 20_000, 80_000]) {
        const { rows } = table(10_000, scrollTop, hidden);
        assert.deepEqual(indexes(rowsInView(elements(rows), -700, 1400, () => true, 1_000)), everyRowInView(rows, 700), `${name}, scrolled ${scrollTop} px`);
      }
    }
  });

  test("returns only rows it is asked for, and no more than the most it is allowed", () => {
    const { rows } = table(10_000, 60_000);
    const all = everyRowInView(rows, 700);
    const unmarked = rowsInView(elements(rows), -700, 1400, (row) => (row as unknown as FakeRow).index % 3 === 0, 1_000);
    assert.deepEqual(indexes(unmarked), all.filter((i) => i % 3 === 0));
    assert.deepEqual(indexes(rowsInView(elements(rows), -700, 1400, () => true, 10)), all.slice(0, 10));
  });

  test("with where the last look found the band, a page scrolled a little since costs a handful of boxes, and finds the same rows", () => {
    const hint: RowsHint = { first: 0, end: 0 };
    const readsPerLook: number[] = [];
    // Scrolling down a screen in small steps, then jumping far and back, as a reader would.
    for (const scrollTop of [...Array.from({ length: 30 }, (_, i) => 60_000 + i * 25), 250_000, 1_000, 1_030]) {
      const { rows, reads } = table(10_000, scrollTop);
      const found = indexes(rowsInView(elements(rows), -700, 1400, () => true, 1_000, hint));
      readsPerLook.push(reads.count);
      assert.deepEqual(found, everyRowInView(rows, 700), `scrolled ${scrollTop} px`);
    }
    const small = readsPerLook.slice(1, 30);
    assert.ok(Math.max(...small) <= 10, `boxes read for the searches after a small scroll: ${small.join(" ")}`);
    assert.ok(Math.max(...readsPerLook) < 70, `after a jump the searches read a few dozen at most: ${readsPerLook.join(" ")}`);
  });

  test("a hint from another table, or nonsense, still finds the right rows", () => {
    for (const [name, hidden] of [
      ["no hidden rows", () => false],
      ["every other row hidden", (i: number) => i % 2 === 1],
      ["long hidden runs", (i: number) => i % 1000 < 700],
    ] as const) {
      for (const hint of [{ first: 0, end: 0 }, { first: 9_999, end: 9_999 }, { first: 5_000, end: 4_000 }, { first: -3, end: 1e9 }, { first: Number.NaN, end: 1.5 }]) {
        for (const scrollTop of [0, 20_000, 80_000, 500_000]) {
          const { rows } = table(10_000, scrollTop, hidden);
          const found = indexes(rowsInView(elements(rows), -700, 1400, () => true, 1_000, { ...hint }));
          assert.deepEqual(found, everyRowInView(rows, 700), `${name}, hint ${JSON.stringify(hint)}, scrolled ${scrollTop} px`);
        }
      }
    }
  });

  test("near the top of a long table the rows are read one by one, never counted; deeper, they are counted once a look", () => {
    const hint: RowsHint = { first: 0, end: 0 };
    // Loading a 10,000-row list and scrolling down 20 screens of 30 rows, as the marks look.
    for (let screen = 0; screen <= 20; screen++) {
      const counts = { length: 0 };
      const { rows } = table(10_000, screen * 900);
      const found = indexes(rowsInView(elements(rows, counts), -2700, 9000, () => true, 1_000, hint));
      assert.deepEqual(found, everyRowInView(rows, 900, -2700, 9000), `screen ${screen}`);
      assert.equal(counts.length, 0, `screen ${screen}: the rows were counted (rows ${found[0]}–${found.at(-1)})`);
    }
    // Far down the list, one count, and then every read is direct.
    const counts = { length: 0 };
    const { rows } = table(10_000, 240_000);
    const found = indexes(rowsInView(elements(rows, counts), -700, 1400, () => true, 1_000, hint));
    assert.deepEqual(found, everyRowInView(rows, 700));
    assert.ok(found[0]! > COUNTED_FROM);
    assert.equal(counts.length, 1);
  });

  test("finds nothing in an empty table or one scrolled past", () => {
    assert.deepEqual(rowsInView(elements([]), -700, 1400, () => true, 10), []);
    const { rows } = table(100, 50_000);
    assert.deepEqual(indexes(rowsInView(elements(rows), -700, 1400, () => true, 10)), []);
  });
});
