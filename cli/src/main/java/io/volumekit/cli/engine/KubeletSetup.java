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
 * driver has its CSIDriver object, each node is Ready, and each driver is registered on each node
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

  KubeletSetup(EngineCluster cluster, List<NodeDriver> drivers) {
    this.cluster = cluster;
    this.drivers = drivers;
  }

  /** Registers every driver on every node; a state without nodes (bare) is left alone. */
  void registerAll() {
    List<ObjectNode> nodes = cluster.list(NODE);
    if (nodes.isEmpty()) {
      return;
    }
    for (NodeDriver d : drivers) {
      ensureCsiDriver(d);
    }
    for (ObjectNode node : nodes) {
      ensureReady(node);
      cluster.registerNode(node.path("metadata").path("name").asText());
    }
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

  /** A node without a Ready condition gets one, as from a kubelet posting its status. */
  private void ensureReady(ObjectNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return;
      }
    }
    ObjectNode updated = node.deepCopy();
    String now = cluster.now().truncatedTo(ChronoUnit.SECONDS).toString();
    updated.withObjectProperty("status").withArray("conditions").addObject()
        .put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
        .put("message", "kubelet is posting ready status")
        .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
    cluster.writeAsController(updated);
  }
}
