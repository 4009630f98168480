package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod placed on a Node that does not exist (docs/cases/node-side.md row AT8): the pod garbage
 * collector marks it Failed with gcOrphaned's DisruptionTarget condition and deletes it, instead
 * of leaving it Pending (the API server's default phase) with no kubelet and no event.
 */
class OrphanedPodTest {

  @Test
  void podOnADeletedNodeIsCollected() {
    NodeKit k = new NodeKit(2);
    List<Pod> written = new ArrayList<>();
    k.kit.runtime().watch(c -> c.afterAs(Pod.class).filter(p -> p.metadata().name().equals("web"))
        .ifPresent(written::add));
    k.apply(sc("fast"), withClass(pvc("data", "1Gi"), "fast")).settle();
    k.kit.delete(ObjectKey.cluster(Node.KIND, "node-2"));
    k.settle();

    k.apply(pod("web", "node-2", claim("data"))).settle();

    assertThat(k.hasPod("web")).as("collected").isFalse();
    Pod last = written.get(written.size() - 1);
    assertThat(last.status().phase()).contains(PodStatus.FAILED);
    assertThat(last.status().conditions()).filteredOn(c -> c.type().equals(PodGarbageCollector.DISRUPTION_TARGET))
        .singleElement().satisfies((PodCondition c) -> {
          assertThat(c.status()).isEqualTo("True");
          assertThat(c.reason()).contains(PodGarbageCollector.DELETION_BY_POD_GC);
          assertThat(c.message()).contains(PodGarbageCollector.NODE_GONE);
        });
  }

  @Test
  void podOnAnExistingNodeIsKept() {
    NodeKit k = new NodeKit(2);
    k.apply(sc("fast"), withClass(pvc("data", "1Gi"), "fast")).settle();

    k.apply(pod("web", "node-2", claim("data"))).settle();

    k.assertRunning("web");
  }
}
