package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CsiException;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the command does in place of the drivers' deployments and the nodes' kubelets: each
 * driver has its CSIDriver object, each node is Ready with the addresses, capacity and system info
 * its kubelet would report, and each driver is registered on each node
 * (the Node's {@code csi.volume.kubernetes.io/nodeid} annotation and topology labels, its CSINode
 * entry), the last through core's {@link io.volumekit.core.VolumeKit#registerNode}.
 *
 * <p>Mirrors a CSI driver's deployment manifest (the CSIDriver object) and the kubelet's status
 * updates and plugin registration (docs/cases/node-side.md row R1). Every step writes only what
 * differs, so registering again on each invocation leaves a settled state as it is.
 */
final class KubeletSetup {

  private static final KindInfo NODE = Kinds.byName("node").orElseThrow();
  private static final KindInfo CSI_DRIVER = Kinds.byName("csidriver").orElseThrow();

  private final EngineCluster cluster;
  private final List<NodeDriver> drivers;
  private final MachineInfo machine;
  private final java.util.function.Predicate<String> served;

  /** The setup of the nodes {@code served} names (the kubelets this process plays). */
  KubeletSetup(EngineCluster cluster, List<NodeDriver> drivers, java.util.function.Predicate<String> served) {
    this.cluster = cluster;
    this.drivers = drivers;
    this.served = served;
    this.machine = new MachineInfo(cluster.statePath());
  }

  /** Registers every driver on every served node; a state without such nodes (bare) is left alone. */
  void registerAll() {
    List<ObjectNode> nodes = cluster.list(NODE);
    if (nodes.stream().noneMatch(n -> served.test(name(n)))) {
      return;
    }
    for (NodeDriver d : drivers) {
      ensureCsiDriver(d);
    }
    java.util.Set<String> ips = new java.util.HashSet<>();
    for (ObjectNode node : nodes) {
      for (JsonNode a : node.path("status").path("addresses")) {
        if ("InternalIP".equals(a.path("type").asText())) {
          ips.add(a.path("address").asText());
        }
      }
    }
    for (ObjectNode node : nodes) {
      if (served.test(name(node))) {
        ensureStatus(node, ips);
        cluster.registerNode(name(node));
      }
    }
  }

  private static String name(ObjectNode node) {
    return node.path("metadata").path("name").asText();
  }

  private void ensureCsiDriver(NodeDriver d) {
    if (cluster.get(CSI_DRIVER, "", d.name()).isPresent()) {
      return;
    }
    boolean attach;
    try {
      attach = d.controller().controllerGetCapabilities().has(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME);
    } catch (CsiException e) {
      cluster.warn("CSI driver " + d.name() + " did not answer ControllerGetCapabilities: " + e.getMessage());
      return;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", CSI_DRIVER.apiVersion()).put("kind", CSI_DRIVER.kind());
    o.putObject("metadata").put("name", d.name());
    ObjectNode spec = o.putObject("spec");
    spec.put("attachRequired", attach).put("podInfoOnMount", false);
    ArrayNode modes = spec.putArray("volumeLifecycleModes").add("Persistent");
    if (d.ephemeral()) {
      modes.add("Ephemeral");
    }
    cluster.writeAsController(o);
  }

  /**
   * What a kubelet posts about its node and the node lacks: a Ready condition, the addresses
   * ({@code InternalIP} on the kind-like network 172.18.0.0/16, the first free one from .2, and
   * {@code Hostname}), capacity and allocatable, and the system info ({@link MachineInfo}).
   */
  private void ensureStatus(ObjectNode node, java.util.Set<String> ips) {
    ObjectNode updated = node.deepCopy();
    ObjectNode status = updated.withObjectProperty("status");
    String name = node.path("metadata").path("name").asText();
    boolean ready = false;
    for (JsonNode c : status.path("conditions")) {
      ready |= "Ready".equals(c.path("type").asText());
    }
    if (!ready) {
      String now = cluster.now().truncatedTo(ChronoUnit.SECONDS).toString();
      status.withArray("conditions").addObject()
          .put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
          .put("message", "kubelet is posting ready status")
          .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
    }
    if (status.path("addresses").isEmpty()) {
      int n = 2;
      while (ips.contains("172.18.0." + n)) {
        n++;
      }
      ips.add("172.18.0." + n);
      ArrayNode addresses = status.putArray("addresses");
      addresses.addObject().put("type", "InternalIP").put("address", "172.18.0." + n);
      addresses.addObject().put("type", "Hostname").put("address", name);
    }
    if (status.path("capacity").isEmpty()) {
      machine.putCapacity(status);
    }
    if (status.path("nodeInfo").isEmpty()) {
      machine.putNodeInfo(status, name);
    }
    if (!updated.equals(node)) {
      cluster.writeAsController(updated);
    }
  }
}
