/**
 * Devices for administrators: the list (`/admin/devices`) with each device's setting and the
 * effective result with its reason (device, then its owner, then the customer), and a device's
 * page (`/admin/devices/<id>`) with the On/Off/Inherit form.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { RECORDING_SETTINGS, type CustomerRecordingSetting, type RecordingSetting } from "../../src/rules/domain.js";
import { decideSegmentRecording } from "../../src/rules/recording-policy.js";
import type { AppEnv } from "../auth.js";
import type { Db } from "../db.js";
import { plural, SETTING_LABELS, type Html } from "./format.js";
import { sessionOf } from "./guards.js";
import { errorPage, renderPage } from "./layout.js";
import { changeNotice, customerSetting, effectiveResult, FUTURE_ONLY, saveSetting, settingForm } from "./recording-settings.js";

/** Devices per page of the list. */
const PAGE_SIZE = 200;

export interface DeviceRow {
  id: string;
  name: string;
  recording: RecordingSetting;
  user_id: string | null;
  user_name: string | null;
  user_recording: RecordingSetting | null;
}

const DEVICE_SELECT = `SELECT d.id, d.name, d.recording, d.user_id, u.name AS user_name, u.recording AS user_recording
  FROM devices d LEFT JOIN users u ON u.id = d.user_id`;

/** The address of a device's admin page. */
export function deviceHref(id: string): string {
  return `/admin/devices/${encodeURIComponent(id)}`;
}

/** The decision for a call on this device used by its owner. */
function deviceDecision(d: DeviceRow, customer: CustomerRecordingSetting) {
  return decideSegmentRecording({ device: d.recording, user: d.user_recording ?? undefined, customer });
}

function ownerCell(d: DeviceRow): Html {
  return d.user_id
    ? html`<a href="/admin/users/${encodeURIComponent(d.user_id)}"><bdi>${d.user_name ?? d.user_id}</bdi></a>`
    : html`<span class="muted">No owner</span>`;
}

/** A table of devices with their settings and effective results. */
export function devicesTable(devices: DeviceRow[], customer: CustomerRecordingSetting): Html {
  return html`<div class="table-wrap"><table class="devices">
  <caption>“Effective” is for calls on the device by its owner.</caption>
  <thead><tr><th scope="col">Device</th><th scope="col">ID</th><th scope="col">Owner</th><th scope="col">Recording</th><th scope="col">Effective</th></tr></thead>
  <tbody>${devices.map(
    (d) => html`<tr data-device-id="${d.id}">
    <td><a href="${deviceHref(d.id)}"><bdi>${d.name}</bdi></a></td>
    <td><bdi>${d.id}</bdi></td>
    <td>${ownerCell(d)}</td>
    <td data-setting="${d.recording}">${SETTING_LABELS[d.recording]}</td>
    <td>${effectiveResult(deviceDecision(d, customer))}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

export function adminDevicesRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/admin/devices", (c) => {
    const after = (c.req.query("after") ?? "").slice(0, 200);
    const rows = db.prepare(`${DEVICE_SELECT} WHERE d.id > ? ORDER BY d.id LIMIT ?`).all(after, PAGE_SIZE + 1) as DeviceRow[];
    const more = rows.length > PAGE_SIZE;
    const devices = rows.slice(0, PAGE_SIZE);
    const customer = customerSetting(db);
    return renderPage(c, db, {
      title: "Devices",
      lead: html`A device set to On or Off decides for every call on it; one that inherits passes the decision to its user, then to the customer (${SETTING_LABELS[customer]}, <a href="/admin/recordings">change it</a>).`,
      main: html`<p class="count" role="status">Showing ${plural(devices.length, "device")}${after ? " (a later page)" : ""}.</p>
${devicesTable(devices, customer)}
<nav class="paging" aria-label="Pages">${after ? html`<a href="/admin/devices">First page</a>` : ""}${more ? html`<a rel="next" href="/admin/devices?after=${encodeURIComponent(devices[devices.length - 1]!.id)}">Next page</a>` : ""}</nav>`,
    });
  });

  const findDevice = (id: string) => (id.length <= 200 ? (db.prepare(`${DEVICE_SELECT} WHERE d.id = ?`).get(id) as DeviceRow | undefined) : undefined);

  app.get("/admin/devices/:id", (c) => {
    const session = sessionOf(c);
    const device = findDevice(c.req.param("id"));
    if (!device) return errorPage(c, db, 404, "Device not found", html`There is no device with this ID. <a href="/admin/devices">See all devices</a>.`);
    const customer = customerSetting(db);
    const page = deviceHref(device.id);
    return renderPage(c, db, {
      title: `Device: ${device.name}`,
      main: html`${changeNotice(c, device.recording)}
<p><a href="/admin/devices">← All devices</a></p>
<dl class="details" data-device-id="${device.id}">
  <dt>Name</dt><dd><bdi>${device.name}</bdi></dd>
  <dt>ID</dt><dd><bdi>${device.id}</bdi></dd>
  <dt>Owner</dt><dd>${ownerCell(device)}${device.user_recording ? ` (recording ${SETTING_LABELS[device.user_recording]})` : ""}</dd>
</dl>
<section id="recordings" aria-labelledby="recordings-heading">
  <h2 id="recordings-heading">Recordings</h2>
  <p>The device's setting is <strong data-setting="${device.recording}">${SETTING_LABELS[device.recording]}</strong>.</p>
  ${settingForm(session, page, device.recording, RECORDING_SETTINGS, "Record calls on this device")}
  <p>Effective for calls on this device by its owner: ${effectiveResult(deviceDecision(device, customer))}.</p>
  <p>${FUTURE_ONLY}</p>
</section>`,
    });
  });

  app.post("/admin/devices/:id", (c) => {
    const device = findDevice(c.req.param("id"));
    if (!device) return errorPage(c, db, 404, "Device not found", "There is no device with this ID; nothing was changed.");
    return saveSetting(c, db, { kind: "device", id: device.id }, device.recording, deviceHref(device.id));
  });

  return app;
}
