/**
 * The customer's recording setting (`/admin/recordings`): On or Off, the last word for users
 * and devices that inherit, with links to the users' and devices' settings.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { CUSTOMER_RECORDING_SETTINGS } from "../../src/rules/domain.js";
import type { AppEnv } from "../auth.js";
import type { Db } from "../db.js";
import { plural, SETTING_LABELS } from "./format.js";
import { sessionOf } from "./guards.js";
import { renderPage } from "./layout.js";
import { changeNotice, customerSetting, FUTURE_ONLY, saveSetting, settingForm } from "./recording-settings.js";

function settingCounts(db: Db, table: "users" | "devices"): Record<string, number> {
  const rows = db.prepare(`SELECT recording, COUNT(*) AS n FROM ${table} GROUP BY recording`).all() as { recording: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.recording, r.n]));
}

function countsText(counts: Record<string, number>): string {
  return (["on", "off", "inherit"] as const).map((s) => `${counts[s] ?? 0} ${SETTING_LABELS[s]}`).join(", ");
}

export function adminRecordingsRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const PAGE = "/admin/recordings";

  app.get(PAGE, (c) => {
    const session = sessionOf(c);
    const current = customerSetting(db);
    const users = settingCounts(db, "users");
    const devices = settingCounts(db, "devices");
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    return renderPage(c, db, {
      title: "Recordings",
      lead: "Which calls are recorded: the device's setting if it is On or Off; if it inherits, the user's; if that inherits too, the customer's.",
      main: html`${changeNotice(c, current)}
<section aria-labelledby="customer-heading">
  <h2 id="customer-heading">Customer setting</h2>
  <p>The customer's setting is <strong data-setting="${current}">${SETTING_LABELS[current]}</strong>. Calls are recorded by default only when it is On.</p>
  ${settingForm(session, PAGE, current, CUSTOMER_RECORDING_SETTINGS, "Record calls by default")}
  <p>${FUTURE_ONLY}</p>
  <p>Calls are not recorded until they reach a device or a user: time in a queue, an IVR or on a trunk is never recorded.</p>
</section>
<section aria-labelledby="others-heading">
  <h2 id="others-heading">Users and devices</h2>
  <ul>
    <li><a href="/admin/users">Users</a>: ${plural(total(users), "user")} (${countsText(users)})</li>
    <li><a href="/admin/devices">Devices</a>: ${plural(total(devices), "device")} (${countsText(devices)})</li>
  </ul>
</section>`,
    });
  });

  app.post(PAGE, (c) => saveSetting(c, db, { kind: "customer" }, customerSetting(db), PAGE));

  return app;
}
