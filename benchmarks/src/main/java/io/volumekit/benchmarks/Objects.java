package io.volumekit.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.HostPathVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;

/** The objects the benchmarks create: static PVs and claims of class "" with one access mode. */
final class Objects {

  private Objects() {}

  private static final Quantity[] SIZES = {
    Quantity.parse("1Gi"), Quantity.parse("2Gi"), Quantity.parse("5Gi"), Quantity.parse("10Gi")
  };
  private static final ImmutableList<String> RWO = ImmutableList.of("ReadWriteOnce");

  static PersistentVolume pv(int i) {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named(String.format("pv-%07d", i)))
        .spec(PersistentVolumeSpecBuilder.builder()
            .capacity(ImmutableMap.of("storage", SIZES[i % SIZES.length]))
            .accessModes(RWO)
            .persistentVolumeReclaimPolicy(Optional.of("Retain"))
            .hostPath(Optional.of(HostPathVolumeSourceBuilder.builder().path("/data/" + i).build()))
            .build())
        .build();
  }

  static PersistentVolumeClaim pvc(int i) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named("default", String.format("claim-%07d", i)))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .accessModes(RWO)
            .storageClassName(Optional.of(""))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", SIZES[i % SIZES.length])).build())
            .build())
        .build();
  }
}
