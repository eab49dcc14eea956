/**
 * What the admin pages share about recording settings: the On/Off/Inherit form, saving a
 * posted change (validated, written and audited by `setRecordingSetting`), and the effective
 * result with its reason.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { CustomerRecordingSetting, RecordingSetting } from "../../src/rules/domain.js";
import type { RecordingDecision } from "../../src/rules/recording-policy.js";
import { ChangeError, setRecordingSetting, type SettingTarget } from "../admin-changes.js";
import type { AppEnv, SessionInfo } from "../auth.js";
import type { Db } from "../db.js";
import { csrfField } from "./forms.js";
import { SETTING_LABELS, type Html } from "./format.js";
import { checkedForm, sessionOf } from "./guards.js";
import { errorPage, notice } from "./layout.js";

/** Said on every page that changes a setting. */
export const FUTURE_ONLY = "A change applies to calls made after it; recordings that already exist are never changed or removed.";

/** The customer's setting: the last word when devices and users inherit. */
export function customerSetting(db: Db): CustomerRecordingSetting {
  const row = db.prepare("SELECT recording FROM customer WHERE id = 1").get() as { recording: CustomerRecordingSetting } | undefined;
  return row?.recording ?? "off";
}

/** The On/Off(/Inherit) form that posts to `action`. */
export function settingForm(session: SessionInfo, action: string, current: string, choices: readonly RecordingSetting[], legend: string): Html {
  return html`<form class="panel setting" method="post" action="${action}">
  ${csrfField(session)}
  <fieldset>
    <legend>${legend}</legend>
    ${choices.map(
      (value) =>
        html`<label><input type="radio" name="recording" value="${value}"${value === current ? html` checked` : ""}> ${SETTING_LABELS[value]}</label>`,
    )}
  </fieldset>
  <button type="submit">Save</button>
</form>`;
}

/** The effective result of a decision, with its reason sentence. */
export function effectiveResult(decision: RecordingDecision): Html {
  return html`<span class="effective" data-recorded="${decision.recorded ? "true" : "false"}">${decision.reason}</span>`;
}

/** The confirmation to show after a change redirected back here. */
export function changeNotice(c: Context<AppEnv>, current: string): Html | "" {
  const label = SETTING_LABELS[current as RecordingSetting] ?? current;
  if (c.req.query("saved") !== undefined) return notice("ok", `Saved: the recording setting is now ${label}. ${FUTURE_ONLY}`);
  if (c.req.query("unchanged") !== undefined) return notice("ok", `Nothing to change: the recording setting was already ${label}.`);
  return "";
}

/**
 * Saves a posted setting change for `target` and redirects back to `page` (303) with a
 * confirmation. A missing or wrong CSRF token answers 403 and a value that is not allowed 400;
 * neither changes anything.
 */
export async function saveSetting(c: Context<AppEnv>, db: Db, target: SettingTarget, current: string, page: string): Promise<Response> {
  const checked = await checkedForm(c, db);
  if ("refused" in checked) return checked.refused;
  const value = checked.form.recording;
  if (value === current) return c.redirect(`${page}?unchanged`, 303);
  try {
    setRecordingSetting(db, sessionOf(c).account.id, target, value);
  } catch (err) {
    if (err instanceof ChangeError) {
      const allowed = target.kind === "customer" ? "On or Off" : "On, Off or Inherit";
      const message =
        err.status === 404 ? "There is nothing here to change." : html`Choose ${allowed}. Nothing was changed. <a href="${page}">Back</a>`;
      return errorPage(c, db, err.status, err.status === 404 ? "Not found" : "Setting not changed", message);
    }
    throw err;
  }
  return c.redirect(`${page}?saved`, 303);
}
