/**
 * Who may hear what: every demo user against every recording of the demo dataset, through the
 * call API, the audio URL and the download URL, compared with the rules of design.md as the
 * pure core states them. Equal to what the rules allow, and nothing more. In-process
 * (`app.request`): HTTP is not the subject here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseDataset } from "../../src/rules/dataset.js";
import type { Dataset } from "../../src/rules/domain.js";
import { involvedUsers, mayPlayCall } from "../../src/rules/playback-scope.js";
import { planRecordings } from "../../src/rules/recording-policy.js";
import { signQuery, signingSecret } from "../../server/signing.js";
import { InProcessClient, ORIGIN, inProcessApp } from "../support/in-process.js";

const parsed = parseDataset(JSON.parse(readFileSync(new URL("../../server/demo/dataset.json", import.meta.url), "utf8")));
assert.ok(parsed.ok);
const demo: Dataset = parsed.dataset;

const { app, db } = await inProcessApp(demo);

interface CallDetail {
  recordings: { id: string; audioUrl: string; downloadUrl: string }[];
}

test("every demo user may list, stream and download exactly the recordings the rules allow", async () => {
  const devices = new Map(demo.devices.map((d) => [d.id, d]));
  const users = new Map(demo.users.map((u) => [u.id, u]));
  const lookup = { customer: demo.customer.recording, device: (id: string) => devices.get(id), user: (id: string) => users.get(id) };
  const recordingIds = (db.prepare("SELECT r.id, c.id AS call FROM recordings r JOIN calls c ON c.seq = r.call_seq").all() as { id: string; call: string }[]);
  const byCall = new Map<string, string[]>();
  for (const r of recordingIds) byCall.set(r.call, [...(byCall.get(r.call) ?? []), r.id]);
  const secret = signingSecret(db);
  let checks = 0;
  let allowedPairs = 0;

  for (const user of demo.users) {
    const client = new InProcessClient(app);
    assert.equal((await client.signIn(user.id)).status, 200);
    const listed = new Set<string>();
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = (await (await client.fetch(`/api/calls?hasRecording=true&limit=500${cursor ? `&cursor=${cursor}` : ""}`)).json()) as { calls: { id: string }[]; next: string | null };
      for (const c of page.calls) listed.add(c.id);
      cursor = page.next;
    }
    for (const call of demo.calls) {
      const planned = planRecordings(call, lookup).length;
      const allowed = planned > 0 && mayPlayCall(user, { involvedUsers: involvedUsers(call, lookup), groups: call.groups });
      assert.equal(listed.has(call.id), allowed, `${user.id} lists ${call.id} with recordings`);
      const detail = (await (await client.fetch(`/api/calls/${encodeURIComponent(call.id)}`)).json()) as CallDetail;
      assert.equal(detail.recordings.length, allowed ? planned : 0, `${user.id} gets the recordings of ${call.id}`);
      checks += 2;
      for (const id of byCall.get(call.id) ?? []) {
        const given = detail.recordings.find((r) => r.id === id);
        // For a recording the user may not play, a URL correctly signed for them (as if leaked
        // from a time they could) must still be refused.
        const base = `/api/recordings/${id}`;
        const audio = given?.audioUrl ?? `${base}/audio?${signQuery(secret, "audio", id, user.id)}`;
        const download = given?.downloadUrl ?? `${base}/download?${signQuery(secret, "download", id, user.id)}`;
        const a = await app.request(new URL(audio, ORIGIN).href, { method: "HEAD" });
        const d = await app.request(new URL(download, ORIGIN).href, { method: "HEAD" });
        assert.equal(a.status, allowed ? 200 : 404, `${user.id} streams ${id}`);
        assert.equal(d.status, allowed ? 200 : 404, `${user.id} downloads ${id}`);
        checks += 2;
        if (allowed) allowedPairs++;
      }
    }
  }
  console.log(`permission matrix: ${demo.users.length} users × ${recordingIds.length} recordings, ${checks} checks, ${allowedPairs} user–recording pairs allowed`);
  assert.ok(allowedPairs > 0);
});
