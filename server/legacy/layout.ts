/**
 * The shell of every legacy page: header with the customer's name, navigation (admin pages for
 * administrators), who is signed in with a sign-out button, and a main landmark. Plain markup
 * a browser extension can inject into; a small inline style sheet, no scripts.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, SessionInfo } from "../auth.js";
import type { Db } from "../db.js";
import { csrfField } from "./forms.js";
import type { Html } from "./format.js";

export interface PageOptions {
  /** The page's name: the `<title>` and its `<h1>`. */
  title: string;
  /** What goes in `<main>` after the heading. */
  main: Html;
  status?: ContentfulStatusCode;
  /** Short text under the heading. */
  lead?: Html | string;
}

interface NavItem {
  href: string;
  label: string;
  admin?: boolean;
}

const NAV: NavItem[] = [
  { href: "/reports/call-list", label: "Call List" },
  { href: "/reports/calls-per-group", label: "Calls per Group" },
  { href: "/admin/recordings", label: "Recordings", admin: true },
  { href: "/admin/users", label: "Users", admin: true },
  { href: "/admin/devices", label: "Devices", admin: true },
  { href: "/admin/audit", label: "Audit log", admin: true },
];

/** The customer's name for the header, or a plain product name before any data exists. */
function customerName(db: Db): string {
  const row = db.prepare("SELECT name FROM customer WHERE id = 1").get() as { name: string } | undefined;
  return row?.name ?? "Call reporting";
}

function navigation(path: string, session: SessionInfo): Html {
  const items = NAV.filter((item) => !item.admin || session.account.admin);
  const link = (item: NavItem) =>
    html`<li${item.admin ? html` class="admin"` : ""}><a href="${item.href}"${path === item.href || path.startsWith(`${item.href}/`) ? html` aria-current="page"` : ""}>${item.label}</a></li>`;
  return html`<nav aria-label="Reports${session.account.admin ? " and administration" : ""}"><ul>${items.map(link)}</ul></nav>`;
}

function header(c: Context<AppEnv>, db: Db): Html {
  const session = c.get("session");
  if (!session) {
    return html`<header class="site"><div class="brand">Call reporting</div></header>`;
  }
  return html`<header class="site">
  <div class="brand"><a href="/reports/call-list"><bdi>${customerName(db)}</bdi></a></div>
  ${navigation(c.req.path, session)}
  <form class="signout" method="post" action="/logout">
    <span class="signed-in">Signed in as <strong><bdi>${session.account.name}</bdi></strong></span>
    ${csrfField(session)}
    <button type="submit">Sign out</button>
  </form>
</header>`;
}

/**
 * Renders a whole page with the shared shell. Pages for signed-in users are never cached by
 * shared caches. The referrer meta tag repeats the app-wide `Referrer-Policy: same-origin`
 * (`app.ts`) for a page saved or served without the header: browsers then send this site's
 * origin with its own form posts, which the cross-site check wants, and nothing to others.
 */
export function renderPage(c: Context<AppEnv>, db: Db, options: PageOptions): Response | Promise<Response> {
  c.header("Cache-Control", "private, no-cache");
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Call reporting</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
${header(c, db)}
<main id="main">
<h1>${options.title}</h1>
${options.lead ? html`<p class="lead">${options.lead}</p>` : ""}
${options.main}
</main>
</body>
</html>`;
  return c.html(body, options.status ?? 200);
}

/** A page that says why the request could not be answered (400, 403, 404, 409, ...). */
export function errorPage(c: Context<AppEnv>, db: Db, status: ContentfulStatusCode, title: string, message: string | Html): Response | Promise<Response> {
  return renderPage(c, db, {
    title,
    status,
    main: html`<p class="message error" role="alert">${message}</p>
<p><a href="/reports/call-list">Go to the Call List</a></p>`,
  });
}

/** A message box: a confirmation after a change, or a problem with what was sent. */
export function notice(kind: "ok" | "error", text: string | Html): Html {
  return html`<p class="message ${kind}" role="${kind === "error" ? "alert" : "status"}">${text}</p>`;
}

// A style sheet the pages share; plain CSS, readable from 320px to wide screens.
const STYLE = html`
:root { color-scheme: light; --ink: #1d2330; --muted: #5a6475; --line: #d5dbe5; --accent: #1f5fbf; --bg: #f6f8fb; --ok: #1b7a3d; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.25rem; background: #15233b; color: #fff; }
header.site a { color: #fff; }
.brand { font-weight: 700; font-size: 1.1rem; max-width: 22rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.brand a { text-decoration: none; }
header nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
header nav a { text-decoration: none; padding: .2rem 0; border-bottom: 2px solid transparent; }
header nav a[aria-current="page"] { border-bottom-color: #fff; }
header nav li.admin a { opacity: .9; font-style: italic; }
.signout { margin-left: auto; display: flex; align-items: center; gap: .6rem; }
.signed-in { max-width: 16rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.lead { color: var(--muted); margin-top: -.5rem; }
button, .button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
input, select { font: inherit; padding: .3rem .4rem; border: 1px solid #98a2b3; border-radius: 4px; background: #fff; max-width: 100%; }
label { font-weight: 600; }
form.filters, .panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
form.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .75rem 1.25rem; }
form.filters .field { display: flex; flex-direction: column; gap: .2rem; }
form.filters .check { flex-direction: row; align-items: center; gap: .4rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; }
fieldset label { font-weight: 400; margin-right: 1rem; }
.quick { display: flex; flex-wrap: wrap; gap: .5rem 1rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.message { padding: .6rem .9rem; border-radius: 4px; border-left: 4px solid; background: #fff; }
.message.ok { border-color: var(--ok); }
.message.error { border-color: var(--bad); color: var(--bad); font-weight: 600; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: .5rem .75rem; color: var(--muted); }
th, td { text-align: left; padding: .4rem .75rem; border-top: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; unicode-bidi: isolate; }
thead th { background: #eef2f8; border-top: none; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f8fafd; }
time, .nowrap, tbody th[scope="row"] { white-space: nowrap; }
.panel h2 { margin-top: 0; }
.has-recording { color: var(--ok); font-weight: 600; white-space: nowrap; }
.muted { color: var(--muted); }
.paging { display: flex; gap: 1rem; margin: .75rem 0; }
.saved { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; list-style: none; padding: 0; margin: .25rem 0 .75rem; }
.saved li { display: flex; align-items: center; gap: .4rem; }
.saved form { display: inline; }
.saved button { padding: .1rem .5rem; font-size: .85rem; }
.inline-form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .5rem; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
.timeline td.track-cell { width: 36%; min-width: 12rem; }
.timeline td.who { min-width: 14rem; }
.track { position: relative; height: 1.4rem; background: #eef2f8; border-radius: 3px; }
.bar { position: absolute; top: .2rem; bottom: .2rem; min-width: 3px; border-radius: 3px; background: var(--accent); }
.bar.unreached { background: #98a2b3; }
.axis { display: flex; justify-content: space-between; font-size: .8rem; color: var(--muted); }
.transfer { display: block; font-size: .9rem; color: var(--muted); }
.effective { font-weight: 600; }
.choice { margin: .35rem 0; }
.choice .help { display: block; margin-left: 1.6rem; }
.help { color: var(--muted); }
p.help { margin: .25rem 0 .5rem; }
.message ul { margin: .25rem 0 0; }
.message p { margin: 0; }
@media (max-width: 700px) {
  header.site { padding: .5rem .75rem; }
  .signout { margin-left: 0; }
  main { padding: .75rem .75rem 2rem; }
  dl.details { grid-template-columns: 1fr; }
  /* The timeline becomes one card per segment: who, then start and end side by side, then the bar. */
  table.timeline, table.timeline caption, table.timeline thead, table.timeline tbody, table.timeline tr, table.timeline th, table.timeline td { display: block; }
  table.timeline thead th:not(:last-child) { display: none; }
  .axis span:nth-child(even) { visibility: hidden; }
  table.timeline tr.segment { border-top: 1px solid var(--line); padding: .4rem 0; }
  table.timeline tr.segment > * { border-top: none; padding: .15rem .75rem; }
  table.timeline td.who { min-width: 0; }
  table.timeline tr.segment > td:nth-child(3), table.timeline tr.segment > td:nth-child(4) { display: inline-block; width: 49%; }
  table.timeline td.track-cell { width: auto; min-width: 0; }
}
`;
