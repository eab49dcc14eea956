import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiExcludeMatches,
  BUILT_IN_ORIGINS,
  contentScriptMatches,
  httpOrigin,
  isBuiltInOrigin,
  isEnabledOrigin,
  isEnabledUrl,
  LOOPBACK_HOST_PERMISSIONS,
  matchPatternFor,
  parseOriginInput,
  patternNamesPort,
  portMatchPatternFor,
} from "../../src/extension/origins.js";
import { audioExtension, audioFileName, fileNameFromDisposition, safeFileName } from "../../src/extension/download-name.js";

describe("reporting origins", () => {
  test("enabled out of the box: the reference server as `npm start` serves it, port 8787, over http, and nothing else", () => {
    assert.deepEqual(BUILT_IN_ORIGINS, ["http://127.0.0.1:8787", "http://localhost:8787"]);
    assert.ok(isBuiltInOrigin("http://127.0.0.1:8787"));
    assert.ok(isBuiltInOrigin("http://localhost:8787"));
    assert.ok(isEnabledOrigin("http://localhost:8787", []));
    for (const other of ["http://localhost", "http://127.0.0.1:8790", "http://localhost:34567", "https://localhost:8787", "http://127.0.0.2:8787", "http://localhost.evil.example:8787"]) {
      assert.ok(!isBuiltInOrigin(other), other);
      assert.ok(!isEnabledOrigin(other, []), other);
    }
    // Another local port is enabled once added, and only that port.
    assert.ok(isEnabledOrigin("http://localhost:34567", ["http://localhost:34567"]));
    assert.ok(!isEnabledOrigin("http://localhost:34568", ["http://localhost:34567"]));
    // Granted at install, every port of the loopback hosts: enabling one needs no prompt.
    assert.deepEqual(LOOPBACK_HOST_PERMISSIONS, ["http://127.0.0.1/*", "http://localhost/*"]);
    for (const origin of ["http://localhost:34567", ...BUILT_IN_ORIGINS]) assert.ok(LOOPBACK_HOST_PERMISSIONS.includes(matchPatternFor(origin)), origin);
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
    assert.ok(isEnabledUrl("http://localhost:8787/api/recordings/1/audio", []));
    assert.ok(!isEnabledUrl("http://localhost:9000/api/recordings/1/audio", []));
    assert.ok(isEnabledUrl("http://localhost:9000/api/recordings/1/audio", ["http://localhost:9000"]));
    assert.ok(!isEnabledUrl("https://cdn.example.com/a.wav", []));
  });

  test("the permission pattern names the host (Firefox's patterns have no port)", () => {
    assert.equal(matchPatternFor("https://reports.example.com:8443"), "https://reports.example.com/*");
    assert.equal(matchPatternFor("http://10.0.0.5"), "http://10.0.0.5/*");
  });

  test("content-script patterns name the port where the browser allows it (Chrome), the host where not (Firefox)", () => {
    assert.equal(portMatchPatternFor("http://localhost:34567"), "http://localhost:34567/*");
    assert.equal(portMatchPatternFor("https://reports.example.com"), "https://reports.example.com:443/*");
    assert.equal(portMatchPatternFor("http://10.0.0.5"), "http://10.0.0.5:80/*");
    assert.ok(patternNamesPort("http://localhost:8787/*"));
    assert.ok(!patternNamesPort("http://localhost/*"));
    assert.ok(!patternNamesPort("https://reports.example.com/a:1/*"));
    const origins = ["http://127.0.0.1:8787", "http://127.0.0.1:8790", "https://reports.example.com"];
    assert.deepEqual(contentScriptMatches(origins, true), ["http://127.0.0.1:8787/*", "http://127.0.0.1:8790/*", "https://reports.example.com:443/*"]);
    assert.deepEqual(contentScriptMatches(origins, false), ["http://127.0.0.1/*", "https://reports.example.com/*"]);
    assert.deepEqual(apiExcludeMatches(["http://localhost:8787/*"]), ["http://localhost:8787/api/*"]);
  });

  test("what a user types in the options page becomes an origin, or a reason why not", () => {
    assert.deepEqual(parseOriginInput(" reports.example.com/reports/call-list "), { ok: true, origin: "https://reports.example.com" });
    assert.deepEqual(parseOriginInput("http://10.0.0.5:8080"), { ok: true, origin: "http://10.0.0.5:8080" });
    for (const bad of ["", "ftp://x.example", "https://*.example.com", "https://u:p@x.example", "http://127.0.0.1:8787", "http://localhost:8787/reports", "https://"]) {
      assert.equal(parseOriginInput(bad).ok, false, bad);
    }
    // Another port of the reference server's hosts is not built in: it is added like any site.
    assert.deepEqual(parseOriginInput("http://localhost:34567/reports/call-list"), { ok: true, origin: "http://localhost:34567" });
    assert.deepEqual(parseOriginInput("http://127.0.0.1:8790"), { ok: true, origin: "http://127.0.0.1:8790" });
    assert.match((parseOriginInput("http://127.0.0.1:8787") as { problem: string }).problem, /built in/);
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
