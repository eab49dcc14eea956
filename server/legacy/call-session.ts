/**
 * The Call Session view (`/reports/call-session?call=ID`): a call's details and the timeline
 * of its segments, in `<section id="call-session" data-call-id data-recordings>`. It has no
 * player and lists no recordings; `data-recordings` tells a browser extension how many this
 * user may play (0 when none), and the extension adds the rest. A link to a moment
 * (`&recording=RID&t=90`) is checked here and handed on as `data-recording` and `data-at`.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../auth.js";
import { getCall, type CallView } from "../calls.js";
import type { Db } from "../db.js";
import { callTimeline } from "./call-timeline.js";
import { DIRECTION_LABELS, durationText, secondsBetween, timeEl, type Html } from "./format.js";
import { sessionOf } from "./guards.js";
import { errorPage, notice, renderPage } from "./layout.js";
import { atAttribute, checkMoment } from "../moment-query.js";

function details(call: CallView): Html {
  return html`<dl class="details">
  <dt>Start</dt><dd>${timeEl(call.start)}</dd>
  <dt>End</dt><dd>${timeEl(call.end)}</dd>
  <dt>Duration</dt><dd>${durationText(secondsBetween(call.start, call.end))}</dd>
  <dt>Direction</dt><dd>${DIRECTION_LABELS[call.direction]}</dd>
  <dt>From</dt><dd><bdi>${call.from}</bdi></dd>
  <dt>To</dt><dd><bdi>${call.to}</bdi></dd>
  <dt>Groups</dt><dd>${call.groups.length ? call.groups.map((g, i) => html`${i ? ", " : ""}<bdi>${g.name}</bdi>`) : "None"}</dd>
  <dt>Type</dt><dd>${call.conference ? "Conference" : call.segments.length > 1 ? `Call with ${call.segments.length} segments` : "Call"}</dd>
  <dt>Call ID</dt><dd><bdi>${call.id}</bdi></dd>
</dl>`;
}

export function callSessionRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/reports/call-session", (c) => {
    const account = sessionOf(c).account;
    const id = c.req.query("call") ?? "";
    if (!id) return errorPage(c, db, 400, "Which call?", html`Open a call from the <a href="/reports/call-list">Call List</a> by selecting its Start Time.`);
    const call = id.length <= 200 ? getCall(db, account, id) : undefined;
    if (!call) return errorPage(c, db, 404, "Call not found", "There is no call with this ID. It may have been removed, or the link is wrong.");
    const moment = checkMoment((name) => c.req.query(name), call.recordings);
    const started = moment.recording !== null || moment.at !== null;
    return renderPage(c, db, {
      title: "Call Session",
      main: html`<p><a href="/reports/call-list">← Back to Call List</a></p>
${moment.problem ? notice("error", moment.problem) : ""}
<section id="call-session" data-call-id="${call.id}" data-recordings="${call.recordings.length}"${started && moment.recording !== null ? html` data-recording="${moment.recording}"` : ""}${started && moment.at !== null ? html` data-at="${atAttribute(moment.at)}"` : ""} aria-labelledby="call-session-heading">
  <h2 id="call-session-heading">Call details</h2>
  ${details(call)}
  <h2>${call.conference ? "Conference timeline" : "Timeline"}</h2>
  ${callTimeline(call)}
</section>`,
    });
  });

  return app;
}
