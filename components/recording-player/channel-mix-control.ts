/**
 * The channel control of `<recording-player>` (issue 13, point 4), shown only while the current
 * recording names the parties of its two channels: a group of three buttons (`part="channels"`:
 * both parties, the first alone, the second alone) and a balance slider (`part="balance"`) from
 * the first party to the second, each named by party for screen readers. A native range input:
 * arrows, Page Up/Down, Home and End move it, as everywhere.
 */
import { css, html, type TemplateResult } from "lit";

/** "Agent: Alice Jones" → "Agent"; a label without a party word is shown whole. */
export function partyWord(label: string): string {
  const at = label.indexOf(": ");
  return at > 0 ? label.slice(0, at) : label;
}

const STEPS = 100;

export function renderChannelMix(channels: readonly [string, string], balance: number, set: (balance: number) => void): TemplateResult {
  const [first, second] = channels;
  const choice = balance <= -1 ? "first" : balance >= 1 ? "second" : balance === 0 ? "both" : null;
  const button = (which: "both" | "first" | "second", text: string, label: string, value: number) => html`<button
    type="button"
    class="channel"
    aria-pressed=${choice === which ? "true" : "false"}
    aria-label=${label}
    title=${label}
    @click=${() => set(value)}
  >
    ${text}
  </button>`;
  const percent = Math.round(balance * STEPS);
  const valueText =
    percent === 0 ? `both parties: ${first} and ${second}`
    : percent <= -STEPS ? `${first} only`
    : percent >= STEPS ? `${second} only`
    : percent < 0 ? `towards ${first}: ${second} at ${STEPS + percent} percent`
    : `towards ${second}: ${first} at ${STEPS - percent} percent`;
  return html`<div class="channels-control">
    <div part="channels" class="channels" role="group" aria-label="Listen to">
      ${button("both", "Both", `Both parties: ${first} and ${second}`, 0)}
      ${button("first", partyWord(first), `${first} only`, -1)}
      ${button("second", partyWord(second), `${second} only`, 1)}
    </div>
    <input
      part="balance"
      class="balance"
      type="range"
      min=${-STEPS}
      max=${STEPS}
      step="10"
      .value=${String(percent)}
      aria-label=${`Balance from ${first} to ${second}`}
      aria-valuetext=${valueText}
      title=${`Balance: ${partyWord(first)} ← → ${partyWord(second)}`}
      @input=${(event: Event) => set(Number((event.target as HTMLInputElement).value) / STEPS)}
    />
  </div>`;
}

export const channelMixStyles = css`
  .channels-control {
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .channels {
    display: inline-flex;
    border: 1px solid var(--_track);
    border-radius: 6px;
    overflow: hidden;
  }
  .channel {
    font: inherit;
    font-size: 0.8125em;
    color: inherit;
    background: transparent;
    border: 0;
    padding: 4px 8px;
    min-height: 28px;
    cursor: pointer;
  }
  .channel + .channel {
    border-inline-start: 1px solid var(--_track);
  }
  .channel[aria-pressed="true"] {
    background: var(--_current-segment);
    font-weight: 600;
  }
  .channel:focus-visible,
  .balance:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: 1px;
  }
  .balance {
    width: var(--crec-balance-width, 72px);
    accent-color: currentColor;
  }
`;
