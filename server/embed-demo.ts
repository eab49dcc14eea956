/**
 * `/embed-demo`: a modern host page that embeds the two elements with tags only — one module
 * script and the tags, nothing else — as any reporting product would. A list of recent calls
 * with recordings links to `?call=ID`; the chosen call's recordings play in the docked player.
 * The tags say who is signed in (`user`), so what the player remembers is that user's alone.
 * A link to a moment (`?call=ID&recording=RID&t=90`) is checked and handed to the section as
 * its `recording` and `at` attributes.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "./auth.js";
import { getCall, listCalls } from "./calls.js";
import type { Db } from "./db.js";
import { loginPath } from "./legacy/guards.js";
import { atAttribute, checkMoment, type CheckedMoment } from "./moment-query.js";

export const COMPONENTS_SCRIPT = "/components/call-recordings.js";

export function embedDemoRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/embed-demo", (c) => {
    const session = c.get("session");
    // Back here after signing in, with the call and the moment the link named.
    if (!session) return c.redirect(loginPath(`/embed-demo${new URL(c.req.url).search}`));
    const callId = c.req.query("call") ?? "";
    const calls = listCalls(db, session.account, { hasRecording: true, limit: 25 }).calls;
    const call = callId && callId.length <= 200 ? getCall(db, session.account, callId) : undefined;
    const moment: CheckedMoment = call ? checkMoment((name) => c.req.query(name), call.recordings) : { recording: null, at: null, problem: null };
    return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Embedded call recordings — demo</title>
    <script type="module" src="${COMPONENTS_SCRIPT}"></script>
    <style>
      body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
      header, main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem; }
      header { display: flex; justify-content: space-between; align-items: baseline; }
      .layout { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; gap: 1.5rem; }
      nav ol { list-style: none; padding: 0; margin: 0; }
      nav a { display: block; padding: .4rem .6rem; border-radius: 6px; color: inherit; text-decoration: none; }
      nav a[aria-current="page"] { background: #dfe7ff; font-weight: 600; }
      nav a:hover { background: #eceff5; }
      .problem { border-left: 4px solid #b3261e; padding: .4rem .8rem; color: #b3261e; font-weight: 600; }
      section { background: #fff; border-radius: 10px; padding: 1rem 1.25rem; box-shadow: 0 1px 3px rgb(0 0 0 / .08); }
      @media (max-width: 720px) { .layout { grid-template-columns: 1fr; } }
      @media (prefers-color-scheme: dark) {
        body { background: #14171c; color: #e6e9ef; }
        section { background: #1d2129; }
        nav a[aria-current="page"] { background: #2a3a66; }
        nav a:hover { background: #262b35; }
      }
    </style>
  </head>
  <body>
    <header>
      <h1>Call recordings</h1>
      <p>Signed in as ${session.account.name} · <a href="/reports/call-list">Legacy reports</a></p>
    </header>
    <main class="layout">
      <nav aria-label="Recent calls with recordings">
        <h2>Recent calls</h2>
        ${calls.length === 0 ? html`<p>No calls with recordings you may play.</p>` : ""}
        <ol>
          ${calls.map(
            (call) => html`<li>
              <a href="/embed-demo?call=${encodeURIComponent(call.id)}" aria-current="${call.id === callId ? "page" : "false"}"
                >${call.start.slice(0, 16).replace("T", " ")} · ${call.from} → ${call.to} (${call.recordings})</a
              >
            </li>`,
          )}
        </ol>
      </nav>
      <section aria-label="Call session">
        ${callId
          ? html`<h2>Call ${callId}</h2>
              ${moment.problem ? html`<p class="problem" role="alert">${moment.problem}</p>` : ""}
              <call-session-recordings call-id="${callId}" api-base="/api" user="${session.account.id}"${moment.recording !== null ? html` recording="${moment.recording}"` : ""}${moment.at !== null ? html` at="${atAttribute(moment.at)}"` : ""}></call-session-recordings>`
          : html`<p>Choose a call to see its recordings.</p>`}
      </section>
    </main>
    <recording-player docked user="${session.account.id}"></recording-player>
  </body>
</html>`);
  });
  return app;
}
