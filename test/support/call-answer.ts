/** A real answer of `GET /api/calls/{id}` (the reference server's, for a transfer), with every optional part: a fresh copy each time. */
export function transferAnswer() {
  return {
    id: "c-1",
    start: "2026-11-20T11:00:00Z",
    end: "2026-11-20T11:04:00Z",
    direction: "inbound",
    from: "+441632960003",
    to: "+441632960100",
    conference: false,
    groups: [{ id: "sales", name: "Sales" }],
    segments: [
      { index: 0, start: "2026-11-20T11:00:00Z", end: "2026-11-20T11:00:30Z", user: null, device: null, group: null },
      { index: 1, start: "2026-11-20T11:00:30Z", end: "2026-11-20T11:02:00Z", user: { id: "bob", name: "Bob" }, device: { id: "ext-bob", name: "Desk" }, group: { id: "sales", name: "Sales" } },
      { index: 2, start: "2026-11-20T11:02:00Z", end: "2026-11-20T11:04:00Z", user: { id: "alice", name: "Alice" }, device: null, group: null },
    ],
    recordings: [
      { id: "r1", segment: 1, start: "2026-11-20T11:00:30Z", end: "2026-11-20T11:02:00Z", durationSeconds: 90, participants: [{ id: "bob", name: "Bob" }], contentType: "audio/wav", fileName: "x.wav", audioUrl: "recordings/r1/audio?sig=1", downloadUrl: "https://reports.example/api/recordings/r1/download" },
      { id: "r2", segment: 2, start: "2026-11-20T11:02:00Z", end: "2026-11-20T11:04:00Z", durationSeconds: 120, participants: [{ id: "alice", name: "Alice" }], audioUrl: "https://reports.example/api/recordings/r2/audio", downloadUrl: "recordings/r2/download" },
    ],
  };
}
