/**
 * What of the player's core needs a DOM. Its pure rules (times, timeline, speed, recovery,
 * status, failures, key map) are node tests in test/src/player-core.test.ts.
 */
import { expect } from "@open-wc/testing";
import { isTextEntry } from "../../components/recording-player/player-hotkeys.js";

describe("player core: keys", () => {
  it("knows a text field when it sees one", () => {
    const input = document.createElement("input");
    expect(isTextEntry(input)).to.equal(true);
    input.type = "range";
    expect(isTextEntry(input)).to.equal(false);
    expect(isTextEntry(document.createElement("textarea"))).to.equal(true);
    const editable = document.createElement("div");
    editable.contentEditable = "true";
    document.body.append(editable);
    expect(isTextEntry(editable)).to.equal(true);
    editable.remove();
    expect(isTextEntry(document.createElement("button"))).to.equal(false);
  });
});
