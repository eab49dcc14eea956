/**
 * The Call List's page size over real HTTP: 50 rows by default, `?limit=` from 1 to 10,000 kept
 * by the paging links, anything else refused with the problem named.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "../support/server.js";
import { signedInClients } from "../support/signed-in.js";
import { BUSY_CALLS, BUSY_DAY, callIds, getPage, legacyDataset, linkHref, signInForm } from "./legacy-helpers.js";

let server: RunningServer;
const as = signedInClients(() => server.url, signInForm, 303);

before(async () => {
  server = await startServer({ dataset: legacyDataset() });
});
after(async () => {
  await server?.close();
});

describe("the Call List's page size", () => {
  test("?limit= sets the rows a page shows, and the next page keeps it", async () => {
    const c = await as("admin");
    const first = await getPage(c, `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}&limit=45`);
    assert.equal(first.status, 200);
    assert.equal(callIds(first.html).length, 45);
    const next = linkHref(first.html, "Next page");
    assert.ok(next?.includes("limit=45"), `the next page keeps the size: ${next}`);
    const second = await getPage(c, next!);
    assert.equal(callIds(second.html).length, BUSY_CALLS - 45);
    assert.ok(linkHref(second.html, "First page")?.includes("limit=45"));
    assert.deepEqual(new Set([...callIds(first.html), ...callIds(second.html)]).size, BUSY_CALLS);

    const all = await getPage(c, `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}&limit=10000`);
    assert.equal(callIds(all.html).length, BUSY_CALLS);
    assert.equal(linkHref(all.html, "Next page"), undefined);
  });

  test("without ?limit= a page is 50 rows and its links carry no size", async () => {
    const page = await getPage(await as("admin"), `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}`);
    assert.equal(callIds(page.html).length, 50);
    assert.ok(!linkHref(page.html, "Next page")?.includes("limit="));
  });

  test("a size that is not a whole number from 1 to 10,000 is refused, named", async () => {
    for (const limit of ["0", "10001", "-5", "2.5", "abc", "1e3x"]) {
      const page = await getPage(await as("admin"), `/reports/call-list?limit=${encodeURIComponent(limit)}`);
      assert.equal(page.status, 400, limit);
      assert.match(page.html, /Rows per page: .* is not a whole number from 1 to 10000\./, limit);
      assert.deepEqual(callIds(page.html), []);
    }
  });
});
