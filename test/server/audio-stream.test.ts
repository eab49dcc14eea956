/**
 * The generated audio's stream leaves room for the rest of the server: a reader that takes each
 * chunk the moment it can (as a socket with room does) never has the whole range computed
 * before anything else waiting for the event loop runs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { samplesFor, wavBytes, wavSize, wavStream, type AudioSpec } from "../../server/audio.js";

const HOUR: AudioSpec = { format: "pcm16", samples: samplesFor(3600), seed: 7, voice: 0 };
const CHUNK = 64 * 1024;

test("a reader that takes every chunk at once still lets other work run between chunks", async () => {
  const end = 40 * CHUNK - 1;
  const reader = wavStream(HOUR, 0, end, CHUNK).getReader();
  let chunksWhenOtherWorkRan: number | null = null;
  let chunks = 0;
  // Other work: a request or timer would wait for the event loop in the same way.
  setImmediate(() => (chunksWhenOtherWorkRan = chunks));
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    chunks++;
  }
  assert.equal(chunks, 40);
  assert.ok(chunksWhenOtherWorkRan !== null, `nothing else ran until all ${chunks} chunks had been read`);
  assert.ok(chunksWhenOtherWorkRan < 5, `other work ran only after ${chunksWhenOtherWorkRan} of ${chunks} chunks`);
});

test("the streamed bytes are the file's, in order, to the last byte asked for", async () => {
  const start = 1000;
  const end = start + 3 * CHUNK + 123;
  assert.ok(end < wavSize(HOUR));
  const parts: Uint8Array[] = [];
  const reader = wavStream(HOUR, start, end, CHUNK).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  assert.deepEqual(Buffer.concat(parts), wavBytes(HOUR, start, end));
});
