/**
 * Two-channel recordings (issue 13, point 4): recorders often keep the agent on one channel and
 * the caller on the other. The player lets the user hear one party alone or set the balance
 * between them. A mix is the gain of each channel (left, right), both heard in both ears; a
 * balance is the same as one number, from -1 (the left channel's party alone) through 0 (both at
 * full level) to 1 (the right channel's party alone). Plain functions: the Web Audio graph that
 * applies a mix is in channel-mix-graph.ts, loaded only when a mix is first set.
 */

/** The gain of each channel of a two-channel recording, 0..1. */
export interface ChannelMix {
  left: number;
  right: number;
}

/** Both channels at full level: the recording as it is. */
export const FULL_MIX: Readonly<ChannelMix> = Object.freeze({ left: 1, right: 1 });

const clamp = (n: number, min: number, max: number) => (Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : 0);

/** The mix of a balance: towards one side, the other side's gain falls, to 0 at the end. */
export function mixOfBalance(balance: number): ChannelMix {
  const b = clamp(balance, -1, 1);
  return { left: b > 0 ? round(1 - b) : 1, right: b < 0 ? round(1 + b) : 1 };
}

/** The balance of a mix (the louder channel taken as full). */
export function balanceOfMix(mix: ChannelMix | undefined): number {
  if (!mix) return 0;
  const left = clamp(mix.left, 0, 1);
  const right = clamp(mix.right, 0, 1);
  const top = Math.max(left, right);
  if (top === 0) return 0;
  return round(right / top - left / top);
}

/** A mix with both gains within 0..1. */
export function clampMix(mix: ChannelMix): ChannelMix {
  return { left: clamp(mix.left, 0, 1), right: clamp(mix.right, 0, 1) };
}

export function sameMix(a: ChannelMix | undefined, b: ChannelMix | undefined): boolean {
  const x = a ?? FULL_MIX;
  const y = b ?? FULL_MIX;
  return Math.abs(x.left - y.left) < 1e-6 && Math.abs(x.right - y.right) < 1e-6;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
