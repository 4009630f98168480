package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.print.GoJson;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the nodes' kubelets do for CSI drivers: each node is Ready, each driver has its CSIDriver
 * object, and each node's CSINode lists every driver with the node id, topology keys and attach
 * limit it reports, mirrored on the Node as the {@code csi.volume.kubernetes.io/nodeid}
 * annotation and the topology labels.
 *
 * <p>Mirrors the kubelet's plugin registration handler and node info manager
 * (spec/node-and-csi.md section 3); the values come from core's {@link CsiNodeRegistration}.
 * Writes happen only when something differs, so a loaded state is not rewritten.
 */
final class NodeRegistrar {

  private static final KindInfo NODE = Kinds.byName("node").orElseThrow();
  private static final KindInfo CSI_NODE = Kinds.byName("csinode").orElseThrow();
  private static final KindInfo CSI_DRIVER = Kinds.byName("csidriver").orElseThrow();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EngineCluster cluster;
  private final List<NodeDriver> drivers;

  NodeRegistrar(EngineCluster cluster, List<NodeDriver> drivers) {
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
      registerNode(node);
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
    cluster.applyTree(o);
  }

  private void registerNode(ObjectNode node) {
    String nodeName = node.path("metadata").path("name").asText();
    ObjectNode updated = node.deepCopy();
    ensureReady(updated);
    Optional<ObjectNode> existing = cluster.get(CSI_NODE, "", nodeName);
    ObjectNode csiNode = existing.map(ObjectNode::deepCopy).orElseGet(() -> newCsiNode(node));
    ArrayNode entries = csiNode.withObjectProperty("spec").withArray("drivers");
    Map<String, String> nodeIds = nodeIdAnnotation(updated);
    for (NodeDriver d : drivers) {
      CsiNodeRegistration reg;
      try {
        reg = CsiNodeRegistration.register(nodeName, d.onNode().apply(nodeName));
      } catch (CsiException e) {
        // As a kubelet whose plugin socket does not answer: the node goes on without that driver.
        cluster.warn("CSI driver " + d.name() + " could not be registered on node " + nodeName + ": " + e.getMessage());
        continue;
      }
      ObjectNode entry = JsonNodeFactory.instance.objectNode();
      entry.put("name", reg.driverName()).put("nodeID", reg.nodeId());
      if (!reg.topologyKeys().isEmpty()) {
        ArrayNode keys = entry.putArray("topologyKeys");
        reg.topologyKeys().forEach(keys::add);
      }
      reg.allocatableCount().ifPresent(c -> entry.putObject("allocatable").put("count", c));
      replaceEntry(entries, entry);
      nodeIds.put(reg.driverName(), reg.nodeId());
      reg.topologyLabels().forEach((k, v) -> updated.withObjectProperty("metadata").withObjectProperty("labels").put(k, v));
    }
    if (!nodeIds.isEmpty()) {
      updated.withObjectProperty("metadata").withObjectProperty("annotations").put(CsiNodeRegistration.NODE_ID_ANNOTATION, GoJson.compact(
          JSON.valueToTree(nodeIds)));
    }
    if (!updated.equals(node)) {
      cluster.writeAsController(updated);
    }
    if (existing.isEmpty() || !existing.get().equals(csiNode)) {
      cluster.writeAsController(csiNode);
    }
  }

  private static ObjectNode newCsiNode(ObjectNode node) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", CSI_NODE.apiVersion()).put("kind", CSI_NODE.kind());
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", node.path("metadata").path("name").asText());
    String uid = node.path("metadata").path("uid").asText("");
    if (!uid.isEmpty()) {
      meta.putArray("ownerReferences").addObject()
          .put("apiVersion", "v1").put("kind", "Node").put("name", node.path("metadata").path("name").asText())
          .put("uid", uid);
    }
    o.putObject("spec").putArray("drivers");
    return o;
  }

  private static void replaceEntry(ArrayNode entries, ObjectNode entry) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).path("name").asText().equals(entry.path("name").asText())) {
        if (!entries.get(i).equals(entry)) {
          entries.set(i, entry);
        }
        return;
      }
    }
    entries.add(entry);
  }

  private static Map<String, String> nodeIdAnnotation(ObjectNode node) {
    Map<String, String> ids = new TreeMap<>();
    JsonNode a = node.path("metadata").path("annotations").path(CsiNodeRegistration.NODE_ID_ANNOTATION);
    if (a.isTextual()) {
      try {
        JSON.readTree(a.asText()).properties().forEach(e -> ids.put(e.getKey(), e.getValue().asText()));
      } catch (IOException e) {
        // A malformed annotation is replaced, as the kubelet's node info manager does.
      }
    }
    return ids;
  }

  /** A node without a Ready condition gets one, as a kubelet posting its status. */
  private void ensureReady(ObjectNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return;
      }
    }
    String now = cluster.now().truncatedTo(ChronoUnit.SECONDS).toString();
    node.withObjectProperty("status").withArray("conditions").addObject()
        .put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
        .put("message", "kubelet is posting ready status")
        .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
  }
}
