/**
 * Domain types shared by every part of the product: the dataset file's shape, the recording
 * settings and the playback scopes of `docs/design.md`. Plain data, no behaviour.
 */

/** The customer's recording setting: the last word when device and user both inherit. */
export type CustomerRecordingSetting = "on" | "off";

/** A user's or a device's recording setting. */
export type RecordingSetting = "on" | "off" | "inherit";

/** Which calls a user may play back; `none` means the user lacks the permission. */
export type PlaybackScope = "none" | "own" | "primary-group" | "member-groups" | "all";

export const RECORDING_SETTINGS: readonly RecordingSetting[] = ["on", "off", "inherit"];
export const CUSTOMER_RECORDING_SETTINGS: readonly CustomerRecordingSetting[] = ["on", "off"];
export const PLAYBACK_SCOPES: readonly PlaybackScope[] = ["none", "own", "primary-group", "member-groups", "all"];

/** Which way a call went. */
export type CallDirection = "inbound" | "outbound" | "internal";
export const CALL_DIRECTIONS: readonly CallDirection[] = ["inbound", "outbound", "internal"];

export interface Customer {
  name: string;
  recording: CustomerRecordingSetting;
}

export interface Group {
  id: string;
  name: string;
}

export interface User {
  id: string;
  name: string;
  /** Plain text in the dataset file only; the server keeps an scrypt hash. */
  password: string;
  admin: boolean;
  primaryGroup: string | null;
  /** Groups the user belongs to besides (or including) the primary group. */
  memberGroups: string[];
  recording: RecordingSetting;
  playback: PlaybackScope;
}

export interface Device {
  id: string;
  name: string;
  /** The device's owner, if any. */
  user: string | null;
  recording: RecordingSetting;
}

/** Who a two-channel recording's channel holds: the agent (the user or device recorded), the caller, or someone else. */
export type ChannelParty = "agent" | "caller" | "other";
export const CHANNEL_PARTIES: readonly ChannelParty[] = ["agent", "caller", "other"];

/**
 * One channel of a two-channel recording file, left first: whose voice it holds. `name` shows
 * who that is; absent, the agent is the segment's user (or device) and the caller the call's
 * outside number.
 */
export interface RecordingChannel {
  party: ChannelParty;
  name?: string;
}

/**
 * One leg of a call. A transfer starts a new segment; in a conference each participant's
 * time in the conference is a segment. A segment that reached neither a device nor a user
 * (trunk, queue, IVR) has both null.
 */
export interface Segment {
  start: string;
  end: string;
  device: string | null;
  user: string | null;
  /**
   * The file holding this segment's recording, relative to the server's recordings folder;
   * absent for generated audio. Only on a recorded segment of a call that is not a conference.
   */
  file?: string;
  /** The parties on the file's two channels, left then right; only beside `file`. */
  channels?: RecordingChannel[];
}

export interface Call {
  id: string;
  start: string;
  direction: CallDirection;
  from: string;
  to: string;
  /** Groups the call is tagged with. */
  groups: string[];
  conference: boolean;
  segments: Segment[];
  /** A conference's one recording, as a file relative to the recordings folder; absent for generated audio. */
  file?: string;
  /** The parties on a conference file's two channels, left then right; only beside `file`. */
  channels?: RecordingChannel[];
}

/** The dataset file, after validation (absent optional fields filled in). */
export interface Dataset {
  customer: Customer;
  groups: Group[];
  users: User[];
  devices: Device[];
  calls: Call[];
}

/** A problem found in a dataset file: `path` is like `calls[3].segments[0].device`. */
export interface DatasetProblem {
  path: string;
  message: string;
}
