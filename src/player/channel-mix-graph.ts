/**
 * The Web Audio graph that mixes a two-channel recording's channels (see channel-mix.ts): the
 * media element → a channel splitter → one gain per channel → summed into one channel, which the
 * destination plays in both ears. So "the agent alone" is the agent in both ears, not one ear.
 *
 * Created the first time a player sets a mix, never before: once an element feeds Web Audio it
 * is heard only through it, for its whole life, so a player that never mixes keeps the browser's
 * own output path. Loaded on demand (src/player/media-element-engine.ts), not with the player.
 */
import type { ChannelMix } from "./channel-mix.js";

export class ChannelMixGraph {
  readonly context: AudioContext;
  /** The mixed signal (one channel), connected to the destination; tests tap it with an analyser. */
  readonly output: GainNode;
  readonly #left: GainNode;
  readonly #right: GainNode;
  readonly #source: MediaElementAudioSourceNode;

  constructor(media: HTMLMediaElement, mix: ChannelMix) {
    this.context = new AudioContext();
    const ctx = this.context;
    this.#source = ctx.createMediaElementSource(media);
    const splitter = ctx.createChannelSplitter(2);
    this.#left = ctx.createGain();
    this.#right = ctx.createGain();
    this.output = ctx.createGain();
    // Mono: the two gains' outputs are summed; the destination plays a mono input in both ears.
    this.output.channelCount = 1;
    this.output.channelCountMode = "explicit";
    this.output.channelInterpretation = "speakers";
    // A one-channel source: its one channel comes out of the splitter's first output only.
    this.#source.channelInterpretation = "discrete";
    splitter.channelInterpretation = "discrete";
    this.#source.connect(splitter);
    splitter.connect(this.#left, 0);
    splitter.connect(this.#right, 1);
    this.#left.connect(this.output);
    this.#right.connect(this.output);
    this.output.connect(ctx.destination);
    this.set(mix);
  }

  set(mix: ChannelMix): void {
    this.#left.gain.value = mix.left;
    this.#right.gain.value = mix.right;
    this.resume();
  }

  /** The context may start suspended (no user gesture yet); playing resumes it. */
  resume(): void {
    if (this.context.state === "suspended") void this.context.resume().catch(() => undefined);
  }

  close(): void {
    this.#source.disconnect();
    void this.context.close().catch(() => undefined);
  }
}
