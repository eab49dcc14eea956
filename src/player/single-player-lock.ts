/**
 * Only one player plays at a time across the tabs of one origin: a player that starts playing
 * says so on a BroadcastChannel, and every other player (in this tab or another) pauses. Where
 * BroadcastChannel is missing, players of the same page still hear each other.
 */

export const SINGLE_PLAYER_CHANNEL = "crec-single-player";

interface ClaimMessage {
  type: "crec-playing";
  id: string;
}

function isClaim(data: unknown): data is ClaimMessage {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as ClaimMessage).type === "crec-playing" &&
    typeof (data as ClaimMessage).id === "string"
  );
}

/** Locks in this realm, for when there is no BroadcastChannel. */
const local = new Set<SinglePlayerLock>();

/** One player's membership of the "only one plays" group. */
export class SinglePlayerLock {
  readonly id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  readonly #onYield: () => void;
  #channel: BroadcastChannel | null = null;
  #closed = false;

  /** `onYield` is called when another player starts: pause. */
  constructor(onYield: () => void, channelName = SINGLE_PLAYER_CHANNEL) {
    this.#onYield = onYield;
    if (typeof BroadcastChannel === "function") {
      this.#channel = new BroadcastChannel(channelName);
      this.#channel.onmessage = (event: MessageEvent<unknown>) => {
        if (isClaim(event.data) && event.data.id !== this.id) this.#onYield();
      };
    } else {
      local.add(this);
    }
  }

  /** This player started playing: the others pause. */
  claim(): void {
    if (this.#closed) return;
    if (this.#channel) {
      this.#channel.postMessage({ type: "crec-playing", id: this.id } satisfies ClaimMessage);
      return;
    }
    for (const other of local) if (other !== this) other.#onYield();
  }

  close(): void {
    this.#closed = true;
    this.#channel?.close();
    this.#channel = null;
    local.delete(this);
  }
}
