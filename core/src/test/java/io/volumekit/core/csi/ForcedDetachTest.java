package io.volumekit.core.csi;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.core.mount.RecordingDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Taint;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's forced detach (non-graceful node shutdown, deleted node) against an in-memory
 * driver that detaches out of order as real attachable drivers do: the volume moves without the
 * dead node coming back, the engine settles, and the driver's ordering violations name only the
 * dead node.
 */
class ForcedDetachTest {

  /** Nodes shut down or deleted right now (the recording driver's ordering check skips them). */
  private final Set<String> down = new java.util.TreeSet<>();

  private NodeKit lenientKit() {
    NodeKit k = new NodeKit(2, c -> c.withRejectOutOfOrderUnpublish(false), new RecordingDriver.CallLog(1, 0),
        Set.of(), 7);
    k.log.downNodes = () -> Set.copyOf(down);
    return k;
  }

  /** A ReadWriteOnce claim used by pod "web" on {@code node}, settled. */
  private static String webOn(NodeKit k, String node) {
    k.apply(sc("fast"), withModes(withClass(pvc("data", "1Gi"), "fast"), "ReadWriteOnce"));
    k.settle();
    k.apply(pod("web", node, claim("data")));
    k.settle();
    k.assertRunning("web");
    assertThat(k.memory.orderingViolations()).isEmpty();
    return k.handleOf("data");
  }

  private static Node withTaints(NodeKit k, String node, ImmutableList<Taint> taints) {
    Node n = k.kit.get(Node.class, "", node).orElseThrow();
    return n.withSpec(n.spec().withTaints(taints));
  }

  @Test
  void outOfServiceNodeVolumeMovesWithoutTheNodeComingBack() {
    NodeKit k = lenientKit();
    String handle = webOn(k, "node-1");

    down.add("node-1");
    k.apply(withTaints(k, "node-1",
        ImmutableList.of(Taint.of("node.kubernetes.io/out-of-service", "nodeshutdown", Taint.NO_EXECUTE))));
    assertThat(k.kit.settle().quiescent()).as("the forced detach completes").isTrue();
    assertThat(k.hasPod("web")).as("force-deleted").isFalse();
    assertThat(k.attachments()).isEmpty();
    assertThat(k.trace).anyMatch(l -> l.contains("ControllerUnpublishVolume") && l.endsWith("forced"));
    assertThat(k.memory.orderingViolations()).singleElement().satisfies(v -> {
      assertThat(v.volumeId()).isEqualTo(handle);
      assertThat(v.nodeId()).isEqualTo("node-1");
      assertThat(v.stagingTargetPath()).isPresent();
      assertThat(v.rejected()).isFalse();
    });

    k.apply(pod("web2", "", claim("data")));
    assertThat(k.kit.settle().quiescent()).isTrue();
    k.assertRunning("web2");
    assertThat(k.pod("web2").nodeName()).contains("node-2");
    assertThat(k.events("web2")).noneMatch(e -> e.startsWith("FailedAttachVolume"));

    // node-1 comes back: its kubelet unmounts what the force-deleted pod left; the driver answers OK.
    k.apply(withTaints(k, "node-1", ImmutableList.of()));
    down.remove("node-1");
    assertThat(k.kit.settle().quiescent()).isTrue();
    assertThat(k.log.staged.get(handle)).containsExactly("node-2");
    assertThat(k.log.publishedNodes(handle)).containsExactly("node-2");
    assertThat(k.attachments()).extracting(a -> a.spec().nodeName()).containsExactly("node-2");
    assertThat(k.log.violations).as("no out-of-order call towards a live node").isEmpty();
    assertThat(k.memory.orderingViolations()).as("nothing new once the node is back").hasSize(1);
  }

  @Test
  void deletedNodeVolumeIsDetachedAndANodeOfThatNameComingBackCleansUp() {
    NodeKit k = lenientKit();
    String handle = webOn(k, "node-2");

    down.add("node-2");
    k.kit.delete(ObjectKey.cluster(Node.KIND, "node-2"));
    assertThat(k.kit.settle().quiescent()).isTrue();
    assertThat(k.hasPod("web")).isFalse();
    assertThat(k.attachments()).isEmpty();
    assertThat(k.memory.orderingViolations()).extracting(InMemoryCsiDriver.OrderingViolation::nodeId)
        .containsExactly("node-2");
    assertThat(k.memory.orderingViolations().get(0).volumeId()).isEqualTo(handle);

    k.apply(NodeKit.node("node-2"));
    down.remove("node-2");
    assertThat(k.kit.settle().quiescent()).isTrue();
    assertThat(k.log.clean()).as("the returning node's leftovers are unmounted").isTrue();
    assertThat(k.log.violations).isEmpty();
    assertThat(k.memory.orderingViolations()).hasSize(1);
  }

  @Test
  void anOrdinaryPodDeletionDetachesInOrder() {
    NodeKit k = lenientKit();
    webOn(k, "node-1");
    k.deletePod("web");
    assertThat(k.kit.settle().quiescent()).isTrue();
    assertThat(k.attachments()).isEmpty();
    assertThat(k.log.clean()).isTrue();
    assertThat(k.memory.orderingViolations()).isEmpty();
  }
}
