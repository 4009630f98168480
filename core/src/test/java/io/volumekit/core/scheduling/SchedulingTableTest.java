package io.volumekit.core.scheduling;

import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.wffc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.node;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.core.mount.RecordingDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeConditionBuilder;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.TolerationBuilder;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.core.VolumeNodeAffinity;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.storage.CSIStorageCapacityBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Placement: the scheduler's storage filters, its messages and events. */
class SchedulingTableTest {

  record Row(String name, java.util.function.Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, () -> new NodeKit(0), setup, check);
  }

  static Row row(String name, java.util.function.Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, kit, setup, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void scheduling(Row row) {
    NodeKit k = row.kit().get();
    row.setup().accept(k);
    k.settle();
    row.check().accept(k);
  }

  static String scheduledTo(NodeKit k, String pod) {
    return k.pod(pod).nodeName().orElse("");
  }

  static void assertUnschedulable(NodeKit k, String pod, String message) {
    Pod p = k.pod(pod);
    assertThat(p.nodeName()).as("nodeName of " + pod).isEmpty();
    assertThat(p.status().phase()).contains("Pending");
    PodCondition c = p.status().conditions().stream().filter(x -> x.type().equals("PodScheduled")).findFirst().orElseThrow();
    assertThat(c.status()).isEqualTo("False");
    assertThat(c.reason()).contains("Unschedulable");
    assertThat(c.message()).contains(message);
    assertThat(k.events(pod)).contains("FailedScheduling: " + message);
  }

  static Node withTaint(Node n, Taint t) {
    return n.withSpec(n.spec().withTaints(ImmutableList.of(t)));
  }

  static PersistentVolume affinity(PersistentVolume pv, String node) {
    return pv.withSpec(pv.spec().withNodeAffinity(Optional.of(new VolumeNodeAffinity(Optional.of(new NodeSelector(
        ImmutableList.of(new NodeSelectorTerm(ImmutableList.of(new NodeSelectorRequirement("kubernetes.io/hostname",
            NodeSelectorRequirement.IN, ImmutableList.of(node))), ImmutableList.of()))))))));
  }

  static Pod withSelector(Pod p, String key, String value) {
    return p.withSpec(p.spec().withNodeSelector(ImmutableMap.of(key, value)));
  }

  static NodeKit limited() {
    return new NodeKit(2, c -> c.withMaxVolumesPerNode(1), new RecordingDriver.CallLog(1, 0), Set.of(), 7);
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("no node fits: volume node affinity and node selector, counted per reason like the scheduler",
            k -> k.apply(node("node-1", "disk", "ssd"), node("node-2"), node("node-3"),
                affinity(pv("pv-a", "1Gi"), "node-2"), pvc("data", "1Gi"),
                withSelector(pod("web", "", claim("data")), "disk", "ssd")),
            k -> assertUnschedulable(k, "web", "0/3 nodes are available: 1 node(s) had volume node affinity conflict, "
                + "2 node(s) didn't match Pod's node affinity/selector.")),
        row("a bound PV's node affinity picks the node",
            k -> k.apply(node("node-1"), node("node-2"), affinity(pv("pv-a", "1Gi"), "node-2"), pvc("data", "1Gi"),
                pod("web", "", claim("data"))),
            k -> {
              assertThat(scheduledTo(k, "web")).isEqualTo("node-2");
              k.assertRunning("web");
              assertThat(k.events("web")).contains("Scheduled: Successfully assigned default/web to node-2");
            }),
        row("untolerated NoSchedule taint and an unschedulable node",
            k -> {
              Node n2 = node("node-2");
              k.apply(withTaint(node("node-1"), Taint.of("dedicated", "db", Taint.NO_SCHEDULE)),
                  n2.withSpec(n2.spec().withUnschedulable(Optional.of(true))), pod("web", ""));
            },
            k -> assertUnschedulable(k, "web", "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, "
                + "1 node(s) were unschedulable.")),
        row("a toleration admits the tainted node",
            k -> {
              Pod p = pod("web", "");
              p = p.withSpec(p.spec().withTolerations(ImmutableList.of(TolerationBuilder.builder()
                  .key(Optional.of("dedicated")).operator(Optional.of("Equal")).value(Optional.of("db"))
                  .effect(Optional.of("NoSchedule")).build())));
              k.apply(withTaint(node("node-1"), Taint.of("dedicated", "db", Taint.NO_SCHEDULE)), p);
            },
            k -> assertThat(scheduledTo(k, "web")).isEqualTo("node-1")),
        row("a NoExecute taint and a node that is not Ready",
            k -> {
              Node n2 = node("node-2");
              k.apply(withTaint(node("node-1"), Taint.of("node.kubernetes.io/out-of-service", "nodeshutdown", Taint.NO_EXECUTE)),
                  n2.withStatus(n2.status().withConditions(ImmutableList.of(
                      NodeConditionBuilder.builder().type("Ready").status("False").build()))),
                  pod("web", ""));
            },
            k -> assertUnschedulable(k, "web", "0/2 nodes are available: 1 node(s) had untolerated taint "
                + "{node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint "
                + "{node.kubernetes.io/out-of-service: nodeshutdown}.")),
        row("ReadWriteOncePod: a second pod stays Pending until the first goes away",
            k -> {
              k.apply(node("node-1"), node("node-2"), sc("fast"),
                  withModes(withClass(pvc("once", "1Gi"), "fast"), "ReadWriteOncePod"), pod("first", "", claim("once")));
              k.settle();
              k.apply(pod("second", "", claim("once")));
            },
            k -> {
              k.assertRunning("first");
              assertUnschedulable(k, "second", "0/2 nodes are available: node has pod using PersistentVolumeClaim with "
                  + "the same name and ReadWriteOncePod access mode.");
              k.deletePod("first").settle();
              k.assertRunning("second");
            }),
        row("unbound immediate claim",
            k -> k.apply(node("node-1"), node("node-2"), withClass(pvc("data", "1Gi"), ""), pod("web", "", claim("data"))),
            k -> assertUnschedulable(k, "web", "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.")),
        row("missing claim",
            k -> k.apply(node("node-1"), node("node-2"), pod("web", "", claim("nope"))),
            k -> assertUnschedulable(k, "web", "0/2 nodes are available: persistentvolumeclaim \"nope\" not found.")),
        row("WaitForFirstConsumer without a provisioner and without a volume",
            k -> k.apply(node("node-1"), node("node-2"), wffc(sc("local", "kubernetes.io/no-provisioner")),
                withClass(pvc("data", "1Gi"), "local"), pod("web", "", claim("data"))),
            k -> assertUnschedulable(k, "web",
                "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.")),
        row("WaitForFirstConsumer static volume with node affinity decides the node, then binds",
            k -> k.apply(node("node-1"), node("node-2"), wffc(sc("local", "kubernetes.io/no-provisioner")),
                Fixtures.withClass(affinity(pv("local-2", "5Gi"), "node-2"), "local"),
                withClass(pvc("data", "1Gi"), "local"), pod("web", "", claim("data"))),
            k -> {
              assertThat(scheduledTo(k, "web")).isEqualTo("node-2");
              assertThat(k.pvc("data").volumeName()).contains("local-2");
              k.assertRunning("web");
            }),
        row("allowedTopologies restrict provisioning to a zone: the pod goes there and selected-node says so",
            k -> k.apply(node("node-1", "zone", "a"), node("node-2", "zone", "b"),
                wffc(sc("zonal")).withAllowedTopologies(ImmutableList.of(new TopologySelectorTerm(ImmutableList.of(
                    new TopologySelectorLabelRequirement("zone", ImmutableList.of("b")))))),
                withClass(pvc("data", "1Gi"), "zonal"), pod("web", "", claim("data"))),
            k -> {
              assertThat(scheduledTo(k, "web")).isEqualTo("node-2");
              assertThat(k.pvc("data").metadata().annotation(Annotations.SELECTED_NODE)).contains("node-2");
              k.assertRunning("web");
            }),
        row("CSIStorageCapacity: only a zone with enough capacity fits",
            k -> k.apply(node("node-1", "zone", "a"), node("node-2", "zone", "b"),
                CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                    .spec(CSIDriverSpecBuilder.builder().storageCapacity(Optional.of(true)).build()).build(),
                capacity("cap-a", "a", "2Gi"), capacity("cap-b", "b", "20Gi"), wffc(sc("tracked")),
                withClass(pvc("data", "5Gi"), "tracked"), pod("web", "", claim("data"))),
            k -> {
              assertThat(scheduledTo(k, "web")).isEqualTo("node-2");
              k.assertRunning("web");
            }),
        row("CSIStorageCapacity: nowhere enough",
            k -> k.apply(node("node-1", "zone", "a"), node("node-2", "zone", "b"),
                CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                    .spec(CSIDriverSpecBuilder.builder().storageCapacity(Optional.of(true)).build()).build(),
                capacity("cap-a", "a", "2Gi"), wffc(sc("tracked")),
                withClass(pvc("data", "5Gi"), "tracked"), pod("web", "", claim("data"))),
            k -> assertUnschedulable(k, "web", "0/2 nodes are available: 2 node(s) did not have enough free storage.")),
        row("CSINode allocatable count: a full node is skipped, then none is left",
            SchedulingTableTest::limited,
            k -> {
              k.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"), withClass(pvc("c2", "1Gi"), "fast"),
                  withClass(pvc("c3", "1Gi"), "fast"));
              k.settle();
              k.apply(pod("p1", "", claim("c1")));
              k.settle();
              k.apply(pod("p2", "", claim("c2")));
              k.settle();
              k.apply(pod("p3", "", claim("c3")));
            },
            k -> {
              assertThat(scheduledTo(k, "p1")).isEqualTo("node-1");
              assertThat(scheduledTo(k, "p2")).isEqualTo("node-2");
              assertUnschedulable(k, "p3", "0/2 nodes are available: 2 node(s) exceed max volume count.");
            }),
        row("FailedScheduling is recorded again only when the reason changes; a new node makes the pod fit",
            k -> k.apply(node("node-1", "disk", "hdd"), withSelector(pod("web", ""), "disk", "ssd")),
            k -> {
              k.apply(pvc("unrelated", "1Gi"));
              k.settle();
              List<io.volumekit.model.core.Event> failed = k.kit.events(ObjectKey.namespaced(Pod.KIND, NodeKit.NS, "web"))
                  .stream().filter(e -> e.reason().orElse("").equals(Scheduler.FAILED_SCHEDULING)).toList();
              assertThat(failed).hasSize(1);
              assertThat(failed.get(0).type()).contains("Warning");
              k.apply(node("node-2", "disk", "ssd"));
              k.settle();
              assertThat(scheduledTo(k, "web")).isEqualTo("node-2");
              k.assertRunning("web");
            }),
        row("PreBind: the pod is bound only after its claim; a RESOURCE_EXHAUSTED provisioning drops selected-node "
                + "and the pod is placed again",
            () -> new NodeKit(2, c -> c.withTopology(true),
                new RecordingDriver.CallLog(1, 0).fail("CreateVolume", io.volumekit.core.csi.CsiCode.RESOURCE_EXHAUSTED),
                Set.of(), 7),
            k -> k.apply(wffc(sc("topo")), withClass(pvc("data", "1Gi"), "topo"), pod("web", "", claim("data"))),
            k -> {
              k.assertRunning("web");
              assertThat(Fixtures.eventTexts(k.kit, ObjectKey.namespaced("PersistentVolumeClaim", NodeKit.NS, "data")))
                  .anyMatch(e -> e.startsWith("ProvisioningFailed") && e.contains("ResourceExhausted"));
              // The scheduler wrote selected-node before the pod got its node, twice (after the reschedule).
              List<String> writes = k.trace.stream()
                  .filter(l -> l.contains("write MODIFIED PersistentVolumeClaim/default/data")
                      || l.contains("event Normal Scheduled")).toList();
              assertThat(writes).isNotEmpty();
              assertThat(writes.get(writes.size() - 1)).as("the pod is bound last").contains("Scheduled");
              assertThat(k.pvc("data").metadata().annotation(Annotations.SELECTED_NODE)).contains(scheduledTo(k, "web"));
            }),
        row("a pod for another scheduler is left alone",
            k -> {
              Pod p = pod("web", "");
              k.apply(node("node-1"), p.withSpec(p.spec().withSchedulerName(Optional.of("other"))));
            },
            k -> {
              assertThat(scheduledTo(k, "web")).isEmpty();
              assertThat(k.events("web")).isEmpty();
            }));
  }

  static io.volumekit.model.storage.CSIStorageCapacity capacity(String name, String zone, String size) {
    return CSIStorageCapacityBuilder.builder().metadata(ObjectMeta.named("kube-system", name))
        .nodeTopology(Optional.of(LabelSelector.of(Map.of("zone", zone)))).storageClassName("tracked")
        .capacity(Optional.of(Quantity.parse(size))).build();
  }
}
