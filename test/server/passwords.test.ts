/** The stored password hashes: scrypt at the configured cost, each checked at the cost it was made with. */
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, passwordCost, verifyPassword } from "../../server/passwords.js";

describe("password hashes", () => {
  const set = process.env.CREC_PASSWORD_COST;
  afterEach(() => {
    if (set === undefined) delete process.env.CREC_PASSWORD_COST;
    else process.env.CREC_PASSWORD_COST = set;
  });

  test("scrypt at N = 2^14 unless CREC_PASSWORD_COST says otherwise", () => {
    delete process.env.CREC_PASSWORD_COST;
    assert.equal(passwordCost(), 16384);
    process.env.CREC_PASSWORD_COST = "";
    assert.equal(passwordCost(), 16384);
    process.env.CREC_PASSWORD_COST = "10";
    assert.equal(passwordCost(), 1024);
  });

  test("a hash keeps its cost, and is checked at it whatever the cost is now", async () => {
    process.env.CREC_PASSWORD_COST = "10";
    const light = await hashPassword("alice-pass");
    assert.match(light, /^scrypt\$1024\$8\$1\$/);
    delete process.env.CREC_PASSWORD_COST;
    const full = await hashPassword("alice-pass");
    assert.match(full, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword("alice-pass", light), true);
    assert.equal(await verifyPassword("alice-pass", full), true);
    assert.equal(await verifyPassword("alice-pas", light), false);
    process.env.CREC_PASSWORD_COST = "10";
    assert.equal(await verifyPassword("alice-pass", full), true);
  });

  test("a cost out of range is refused, naming the variable and what it takes", () => {
    for (const bad of ["9", "17", "12.5", "fast"]) {
      process.env.CREC_PASSWORD_COST = bad;
      assert.throws(() => passwordCost(), new RegExp(`^Error: CREC_PASSWORD_COST: "${bad}" is not a whole number from 10 to 16`));
    }
  });
});
