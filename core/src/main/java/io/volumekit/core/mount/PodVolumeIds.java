package io.volumekit.core.mount;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.podvolume.TripleMemo;

/**
 * The effect ids of pod volumes ({@code <prefix><podUid>/<volume>}: setup, teardown, refresh,
 * stats, fsGroup) and of devices ({@code <prefix><node>/<pv>}: stage, unstage), remembered per
 * triple in a {@link TripleMemo}: each sync of a pod, of its devices and of its teardown (and each
 * device-staging watch call on a placed pod) asks for several, and each was a new 50-70 character
 * string to build, hash and compare with the stored operation's id.
 */
final class PodVolumeIds {

  static final TripleMemo<EffectId> IDS =
      new TripleMemo<>(4096, (prefix, uid, volume) -> EffectId.of(prefix + uid + "/" + volume));

  private PodVolumeIds() {}

  /** The id {@code prefix + first + "/" + second}. */
  static EffectId id(String prefix, String first, String second) {
    return IDS.get(prefix, first, second);
  }
}
