/**
 * The playback scopes of `docs/design.md`: who may play back a call's recordings.
 * Permission is per call (a user who may play a call may play every recording of it), own calls
 * are always included once a user has any scope, and a conference is played whole.
 */
import type { Call, PlaybackScope } from "./domain.js";
import type { SettingsLookup } from "./recording-policy.js";

/** What the decision needs to know about the person asking. */
export interface Viewer {
  id: string;
  playback: PlaybackScope;
  primaryGroup: string | null;
  memberGroups: readonly string[];
}

/** What the decision needs to know about a call. */
export interface CallAccessFacts {
  /** Users involved in any segment: the segment's user or its device's owner. */
  involvedUsers: readonly string[];
  /** Groups the call is tagged with. */
  groups: readonly string[];
}

/**
 * Everyone involved in a call, for {@link CallAccessFacts.involvedUsers}: each segment's user
 * and the owner of each segment's device (someone else on your phone is still your call).
 */
export function involvedUsers(call: Pick<Call, "segments">, lookup: Pick<SettingsLookup, "device">): string[] {
  const users = new Set<string>();
  for (const segment of call.segments) {
    if (segment.user) users.add(segment.user);
    const owner = segment.device ? lookup.device(segment.device)?.user : null;
    if (owner) users.add(owner);
  }
  return [...users];
}

/** The groups whose calls a viewer may play under their scope (own calls aside). */
export function scopeGroups(viewer: Viewer): string[] | "all" {
  switch (viewer.playback) {
    case "none":
    case "own":
      return [];
    case "primary-group":
      return viewer.primaryGroup ? [viewer.primaryGroup] : [];
    case "member-groups": {
      const groups = new Set(viewer.memberGroups);
      if (viewer.primaryGroup) groups.add(viewer.primaryGroup);
      return [...groups];
    }
    case "all":
      return "all";
  }
}

/** Whether the viewer may play back the recordings of this call. */
export function mayPlayCall(viewer: Viewer, call: CallAccessFacts): boolean {
  if (viewer.playback === "none") return false;
  if (call.involvedUsers.includes(viewer.id)) return true;
  const groups = scopeGroups(viewer);
  if (groups === "all") return true;
  return call.groups.some((g) => groups.includes(g));
}

/** The scope as people read it, from the product page. */
export const SCOPE_LABELS: Record<PlaybackScope, string> = {
  none: "No playback",
  own: "Own Calls",
  "primary-group": "Primary Group",
  "member-groups": "Member Groups",
  all: "All Calls",
};

/** One sentence per scope, as on the product page. */
export const SCOPE_DESCRIPTIONS: Record<PlaybackScope, string> = {
  none: "The user may not play back any recording.",
  own: "The user may play back only calls they were involved in, including whole conferences they joined.",
  "primary-group": "The user may play back any call tagged with their primary group, and their own calls.",
  "member-groups": "The user may play back any call tagged with any group they are a member of, and their own calls.",
  all: "The user may play back any call that has been recorded.",
};
