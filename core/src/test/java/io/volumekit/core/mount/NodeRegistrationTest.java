package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.wffc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.CSINode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plugin registration on nodes (CSINode, Node labels and annotation) and topology-aware placement. */
class NodeRegistrationTest {

  @Test
  void registrationWritesCsiNodeAndNodeTopologyAndPlacementFollowsIt() {
    NodeKit k = new NodeKit(2, c -> c.withTopology(true).withMaxVolumesPerNode(5),
        new RecordingDriver.CallLog(1, 0), Set.of(), 7);
    CSINode cn = k.kit.get(CSINode.class, "", "node-2").orElseThrow();
    assertThat(cn.spec().drivers()).singleElement().satisfies(d -> {
      assertThat(d.name()).isEqualTo(NodeKit.DRIVER);
      assertThat(d.nodeID()).isEqualTo("node-2");
      assertThat(d.topologyKeys()).containsExactly(InMemoryCsiDriver.TOPOLOGY_KEY);
      assertThat(d.allocatable().flatMap(a -> a.count())).contains(5);
    });
    assertThat(cn.metadata().ownerReferences()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("Node");
      assertThat(r.name()).isEqualTo("node-2");
    });
    Node n = k.kit.get(Node.class, "", "node-2").orElseThrow();
    assertThat(n.metadata().labels()).containsEntry(InMemoryCsiDriver.TOPOLOGY_KEY, "node-2");
    assertThat(n.metadata().annotation("csi.volume.kubernetes.io/nodeid"))
        .contains("{\"" + NodeKit.DRIVER + "\":\"node-2\"}");

    // A node added later is registered when applied.
    k.apply(NodeKit.node("node-3"));
    assertThat(k.kit.get(CSINode.class, "", "node-3")).isPresent();

    // WaitForFirstConsumer with topology: provisioned for the chosen node, then pinned to it.
    k.apply(wffc(sc("topo")), withClass(pvc("data", "1Gi"), "topo"), pod("first", "", claim("data")));
    k.settle();
    k.assertRunning("first");
    String node = k.pod("first").nodeName().orElseThrow();
    PersistentVolume pv = k.kit.get(PersistentVolume.class, "", k.pvOf("data")).orElseThrow();
    assertThat(pv.spec().nodeAffinity()).isPresent();
    Pod elsewhere = pod("second", "", claim("data"));
    String other = node.equals("node-1") ? "node-2" : "node-1";
    k.apply(elsewhere.withSpec(elsewhere.spec().withNodeSelector(ImmutableMap.of("kubernetes.io/hostname", other))));
    k.settle();
    assertThat(k.pod("second").nodeName()).isEmpty();
    assertThat(k.events("second")).anyMatch(e -> e.startsWith("FailedScheduling: 0/3 nodes are available: ")
        && e.contains("1 node(s) had volume node affinity conflict"));
  }
}
