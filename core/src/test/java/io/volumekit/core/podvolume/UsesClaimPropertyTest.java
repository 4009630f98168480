package io.volumekit.core.podvolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.EphemeralVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link PodVolumeSupport#usesClaim} answers exactly what comparing {@link PodVolumeSupport#claimKey}
 * with the claim's key does, for claim volumes, generic ephemeral volumes ({@code <pod>-<volume>},
 * with names chosen so that prefixes and dashes collide) and other volumes, across namespaces and kinds.
 */
class UsesClaimPropertyTest {

  private static final List<String> NAMES = List.of("a", "a-b", "b", "a-b-c", "b-c", "c", "");
  private static final List<String> NAMESPACES = List.of("default", "other");
  private static final List<String> KINDS = List.of("PersistentVolumeClaim", "PersistentVolume");

  @Test
  void sameAnswerAsComparingKeys() {
    qt().withFixedSeed(0xC1A1L).withExamples(3000)
        .forAll(integers().between(0, 10_000), integers().between(0, 10_000), integers().between(0, 10_000))
        .checkAssert((p, v, c) -> {
          Pod pod = PodBuilder.builder().metadata(ObjectMeta.named(pick(NAMESPACES, p), pick(NAMES, p / 2))).build();
          Volume vol = volume(v);
          ObjectKey claim = new ObjectKey(pick(KINDS, c), pick(NAMESPACES, c / 2), pick(NAMES, c / 4)
              + (c % 3 == 0 ? "-" + pick(NAMES, c / 7) : ""));
          boolean expected = PodVolumeSupport.claimKey(pod, vol).equals(Optional.of(claim));
          assertThat(PodVolumeSupport.usesClaim(pod, vol, claim)).as("%s %s %s", pod.metadata(), vol, claim)
              .isEqualTo(expected);
        });
  }

  private static Volume volume(int v) {
    String name = pick(NAMES.subList(0, NAMES.size() - 1), v);
    return switch (v % 3) {
      case 0 -> VolumeBuilder.builder().name(name)
          .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(pick(NAMES, v / 3), Optional.empty())))
          .build();
      case 1 -> VolumeBuilder.builder().name(name).ephemeral(Optional.of(EphemeralVolumeSourceBuilder.builder().build()))
          .build();
      default -> VolumeBuilder.builder().name(name).build();
    };
  }

  private static String pick(List<String> l, int i) {
    return l.get(Math.floorMod(i, l.size()));
  }
}
