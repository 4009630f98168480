package io.volumekit.core.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.ConfigMapBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The garbage collector on owner references that appear on an existing object. */
class GarbageCollectorTest {

  @Test
  void anObjectWhoseNewOwnerIsGoneIsDeletedAndOneWithALiveOwnerIsKept() {
    NodeKit k = new NodeKit(1);
    k.apply(Fixtures.sc("fast"), Fixtures.withClass(Fixtures.pvc("orphaned", "1Gi"), "fast"),
        Fixtures.withClass(Fixtures.pvc("owned", "1Gi"), "fast"),
        ConfigMapBuilder.builder().metadata(ObjectMeta.named(Fixtures.NS, "owner")).build()).settle();
    String uid = k.kit.get(ConfigMap.class, Fixtures.NS, "owner").orElseThrow().metadata().uid().orElseThrow();

    PersistentVolumeClaim orphaned = k.pvc("orphaned");
    k.apply(orphaned.withMetadata(orphaned.metadata().withOwnerReferences(ImmutableList.of(
        new OwnerReference("v1", "ConfigMap", "owner", "another-uid", Optional.of(true), Optional.empty())))));
    PersistentVolumeClaim owned = k.pvc("owned");
    k.apply(owned.withMetadata(owned.metadata().withOwnerReferences(ImmutableList.of(
        new OwnerReference("v1", "ConfigMap", "owner", uid, Optional.of(true), Optional.empty())))));
    k.settle();

    assertThat(k.kit.get(PersistentVolumeClaim.class, Fixtures.NS, "orphaned")).isEmpty();
    assertThat(k.kit.get(PersistentVolumeClaim.class, Fixtures.NS, "owned")).isPresent();
  }
}
