package io.volumekit.core.workload;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetBuilder;
import io.volumekit.model.apps.StatefulSetOrdinals;
import io.volumekit.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.volumekit.model.apps.StatefulSetSpec;
import io.volumekit.model.apps.StatefulSetSpecBuilder;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.PodTemplateSpec;
import io.volumekit.model.core.VolumeMountBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import java.util.Map;
import java.util.Optional;

/** StatefulSets for tests: {@code <name>} with label app=&lt;name&gt; and one claim template {@code data} (1Gi, class fast). */
final class StatefulSets {
  private StatefulSets() {}

  static StatefulSet set(String name, int replicas) {
    PersistentVolumeClaim template = Fixtures.withClass(Fixtures.pvc("data", "1Gi"), "fast");
    template = template.withMetadata(ObjectMetaBuilder.builder().name("data")
        .labels(ImmutableMap.of("tier", "storage")).build());
    PodTemplateSpec pod = new PodTemplateSpec(
        ObjectMetaBuilder.builder().labels(ImmutableMap.of("app", name)).build(),
        PodSpecBuilder.builder().containers(ImmutableList.of(ContainerBuilder.builder().name("db").image(Optional.of("postgres:16"))
            .volumeMounts(ImmutableList.of(VolumeMountBuilder.builder().name("data").mountPath("/var/lib/data").build()))
            .build())).build());
    StatefulSetSpec spec = StatefulSetSpecBuilder.builder()
        .replicas(Optional.of(replicas))
        .serviceName(Optional.of(name))
        .selector(Optional.of(LabelSelector.of(Map.of("app", name))))
        .template(pod)
        .volumeClaimTemplates(ImmutableList.of(template))
        .build();
    return StatefulSetBuilder.builder().metadata(ObjectMeta.named(Fixtures.NS, name)).spec(spec).build();
  }

  static StatefulSet parallel(StatefulSet s) {
    return s.withSpec(s.spec().withPodManagementPolicy(Optional.of(StatefulSetSpec.PARALLEL)));
  }

  static StatefulSet retention(StatefulSet s, String whenDeleted, String whenScaled) {
    return s.withSpec(s.spec().withPersistentVolumeClaimRetentionPolicy(Optional.of(
        new StatefulSetPersistentVolumeClaimRetentionPolicy(Optional.of(whenDeleted), Optional.of(whenScaled)))));
  }

  static StatefulSet replicas(StatefulSet s, int replicas) {
    return s.withSpec(s.spec().withReplicas(Optional.of(replicas)));
  }

  static StatefulSet start(StatefulSet s, int start) {
    return s.withSpec(s.spec().withOrdinals(Optional.of(new StatefulSetOrdinals(Optional.of(start)))));
  }
}
