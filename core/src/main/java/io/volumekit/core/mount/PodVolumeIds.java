package io.volumekit.core.mount;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.podvolume.TripleMemo;

/**
 * The effect ids of pod volumes ({@code <prefix><podUid>/<volume>}: setup, teardown, refresh,
 * stats, fsGroup), remembered per (prefix, pod uid, volume) in a {@link TripleMemo}: each sync of
 * a pod, of its devices and of its teardown asks for several per volume, and each was a new
 * 60-character string to build, hash and compare with the stored operation's id.
 */
final class PodVolumeIds {

  static final TripleMemo<EffectId> IDS =
      new TripleMemo<>(4096, (prefix, uid, volume) -> EffectId.of(prefix + uid + "/" + volume));

  private PodVolumeIds() {}

  /** The id {@code prefix + podUid + "/" + volume}. */
  static EffectId id(String prefix, String podUid, String volume) {
    return IDS.get(prefix, podUid, volume);
  }
}
