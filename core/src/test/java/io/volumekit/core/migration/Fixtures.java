package io.volumekit.core.migration;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeSpec;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.core.VolumeNodeAffinity;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Objects the translation tests build. */
final class Fixtures {

  private Fixtures() {}

  static PersistentVolume pv(String name, Map<String, String> labels, UnaryOperator<PersistentVolumeSpecBuilder> spec) {
    PersistentVolumeSpec s = spec.apply(PersistentVolumeSpecBuilder.builder()).build();
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named(name).withLabels(ImmutableMap.copyOf(labels)))
        .spec(s).build();
  }

  static PersistentVolume withAffinity(PersistentVolume pv, NodeSelectorRequirement... requirements) {
    return pv.withSpec(pv.spec().withNodeAffinity(Optional.of(new VolumeNodeAffinity(Optional.of(new NodeSelector(
        ImmutableList.of(new NodeSelectorTerm(ImmutableList.copyOf(requirements), ImmutableList.of()))))))));
  }

  static NodeSelectorRequirement in(String key, String... values) {
    return new NodeSelectorRequirement(key, NodeSelectorRequirement.IN, ImmutableList.copyOf(values));
  }

  static StorageClass sc(String provisioner, Map<String, String> params, TopologySelectorTerm... allowed) {
    return StorageClassBuilder.builder().metadata(ObjectMeta.named("sc")).provisioner(provisioner)
        .parameters(ImmutableMap.copyOf(params)).allowedTopologies(ImmutableList.copyOf(allowed)).build();
  }

  static TopologySelectorTerm term(String key, String... values) {
    return new TopologySelectorTerm(ImmutableList.of(new TopologySelectorLabelRequirement(key, ImmutableList.copyOf(values))));
  }
}
