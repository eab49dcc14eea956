import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILT_IN_MATCHES, httpOrigin, isBuiltInOrigin, isEnabledOrigin, isEnabledUrl, matchPatternFor, parseOriginInput } from "../../src/extension/origins.js";
import { audioExtension, audioFileName, fileNameFromDisposition, safeFileName } from "../../src/extension/download-name.js";

describe("reporting origins", () => {
  test("the reference server's hosts are enabled on any port, over http only", () => {
    assert.deepEqual(BUILT_IN_MATCHES, ["http://localhost/*", "http://127.0.0.1/*"]);
    assert.ok(isBuiltInOrigin("http://127.0.0.1:8787"));
    assert.ok(isBuiltInOrigin("http://localhost"));
    assert.ok(!isBuiltInOrigin("https://localhost:8787"));
    assert.ok(!isBuiltInOrigin("http://127.0.0.2:8787"));
    assert.ok(!isBuiltInOrigin("http://localhost.evil.example"));
  });

  test("an added origin is enabled exactly, not its neighbours", () => {
    const user = ["https://reports.example.com"];
    assert.ok(isEnabledOrigin("https://reports.example.com", user));
    assert.ok(!isEnabledOrigin("https://reports.example.com:8443", user));
    assert.ok(!isEnabledOrigin("http://reports.example.com", user));
    assert.ok(!isEnabledOrigin("https://evil.reports.example.com", user));
  });

  test("only http(s) URLs without credentials count", () => {
    assert.equal(httpOrigin("http://127.0.0.1:8787/api/x?y"), "http://127.0.0.1:8787");
    assert.equal(httpOrigin("javascript:alert(1)"), null);
    assert.equal(httpOrigin("data:audio/wav;base64,AAAA"), null);
    assert.equal(httpOrigin("http://user:pw@127.0.0.1/"), null);
    assert.equal(httpOrigin("nonsense"), null);
    assert.ok(isEnabledUrl("http://localhost:9000/api/recordings/1/audio", []));
    assert.ok(!isEnabledUrl("https://cdn.example.com/a.wav", []));
  });

  test("the permission pattern names the host (browsers' patterns have no port)", () => {
    assert.equal(matchPatternFor("https://reports.example.com:8443"), "https://reports.example.com/*");
    assert.equal(matchPatternFor("http://10.0.0.5"), "http://10.0.0.5/*");
  });

  test("what a user types in the options page becomes an origin, or a reason why not", () => {
    assert.deepEqual(parseOriginInput(" reports.example.com/reports/call-list "), { ok: true, origin: "https://reports.example.com" });
    assert.deepEqual(parseOriginInput("http://10.0.0.5:8080"), { ok: true, origin: "http://10.0.0.5:8080" });
    for (const bad of ["", "ftp://x.example", "https://*.example.com", "https://u:p@x.example", "http://127.0.0.1:8787", "https://"]) {
      assert.equal(parseOriginInput(bad).ok, false, bad);
    }
  });
});

describe("download file names", () => {
  test("the server's readable name is read from Content-Disposition, UTF-8 first", () => {
    assert.equal(
      fileNameFromDisposition(`attachment; filename="2026-11-20 0914 +441632960001 to +441632960100 Alice_Jones segment 2.wav"; filename*=UTF-8''2026-11-20%200914%20Zo%C3%AB%20segment%202.wav`),
      "2026-11-20 0914 Zoë segment 2.wav",
    );
    assert.equal(fileNameFromDisposition(`attachment; filename="a \\"b\\".wav"`), 'a "b".wav');
    assert.equal(fileNameFromDisposition("attachment; filename=plain.wav"), "plain.wav");
    assert.equal(fileNameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A.wav; filename=\"fallback.wav\""), "fallback.wav");
    assert.equal(fileNameFromDisposition("inline"), null);
    assert.equal(fileNameFromDisposition(null), null);
  });

  test("a name is made safe to save: no folders, reserved characters or hidden files", () => {
    assert.equal(safeFileName("../../etc/passwd"), "_.._etc_passwd");
    assert.equal(safeFileName('a:b*c?"d<e>f|g\u0000.wav'), "a_b_c__d_e_f_g_.wav");
    assert.equal(safeFileName("...hidden.wav"), "hidden.wav");
    assert.equal(safeFileName("   "), "recording.wav");
    const long = safeFileName(`${"x".repeat(300)}.wav`);
    assert.equal(long.length, 180);
    assert.ok(long.endsWith(".wav"));
  });

  test("a download is saved as the audio it holds, whatever name the server chose", () => {
    assert.equal(audioFileName("invoice.pdf.exe", ".wav"), "invoice.pdf.wav");
    assert.equal(audioFileName("2026-11-20 0914 alice.wav", ".wav"), "2026-11-20 0914 alice.wav");
    assert.equal(audioFileName("call.mp3", ".wav"), "call.wav");
    assert.equal(audioFileName("no extension", ".mp3"), "no extension.mp3");
    assert.equal(audioFileName("..\\..\\start.bat", ".wav"), "_.._start.wav");
    assert.equal(audioFileName("", ".wav", "c-1 segment 1"), "c-1 segment 1.wav");
    assert.equal(audioExtension("wav"), ".wav");
    assert.equal(audioExtension("amr-nb"), ".amr");
    assert.equal(audioExtension("unknown"), null);
    assert.equal(audioExtension("constructor"), null);
    // Names made from titles carry bidi isolates; an override could disguise an extension.
    assert.equal(audioFileName("Segment 4 \u00b7 \u2068Carol White\u2069", ".wav"), "Segment 4 \u00b7 Carol White.wav");
    assert.equal(safeFileName("evil\u202Efdp.exe"), "evilfdp.exe");
  });
});
