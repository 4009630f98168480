package io.volumekit.core.mount;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.OwnerReference;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeDriver;
import io.volumekit.model.storage.CSINodeSpecBuilder;
import io.volumekit.model.storage.VolumeNodeResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns CSI plugin registrations on a node into the objects the kubelet writes (docs/cases/node-side.md
 * row R1): the Node gains the topology labels and the {@code csi.volume.kubernetes.io/nodeid}
 * annotation; the CSINode (named after the node, owned by it) gets one {@code spec.drivers[]}
 * entry per driver, replacing an older entry of the same driver. Pure: returns the objects to write.
 */
public final class NodeRegistrar {

  private NodeRegistrar() {}

  /**
   * The Node and CSINode to write for the registrations on the node (each under its registered
   * driver name), or empty if the node does not exist.
   *
   * @throws IllegalStateException on a topology label collision (the kubelet refuses the plugin)
   */
  public static List<ApiObject> objects(ClusterState state, String nodeName, Map<String, CsiNodeRegistration> regs) {
    Optional<Node> node = state.get(ObjectKey.cluster(Node.KIND, nodeName), Node.class);
    if (node.isEmpty() || regs.isEmpty()) {
      return List.of();
    }
    Node n = node.get();
    Map<String, String> labels = new LinkedHashMap<>(n.metadata().labels());
    Map<String, String> ids = new TreeMap<>(parseIds(n.metadata().annotations().getOrDefault(CsiNodeRegistration.NODE_ID_ANNOTATION, "")));
    Optional<CSINode> existing = state.get(ObjectKey.cluster(CSINode.KIND, nodeName), CSINode.class);
    Map<String, CSINodeDriver> drivers = new TreeMap<>();
    existing.ifPresent(cn -> cn.spec().drivers().forEach(d -> drivers.put(d.name(), d)));
    for (Map.Entry<String, CsiNodeRegistration> e : regs.entrySet()) {
      CsiNodeRegistration r = e.getValue();
      for (Map.Entry<String, String> t : r.topologyLabels().entrySet()) {
        String old = labels.get(t.getKey());
        if (old != null && !old.equals(t.getValue())) {
          throw new IllegalStateException("topology value collision on node " + nodeName + ": label " + t.getKey()
              + " is " + old + ", driver " + e.getKey() + " reports " + t.getValue());
        }
        labels.put(t.getKey(), t.getValue());
      }
      ids.put(e.getKey(), r.nodeId());
      drivers.put(e.getKey(), new CSINodeDriver(e.getKey(), r.nodeId(), r.topologyKeys(),
          r.allocatableCount().map(c -> new VolumeNodeResources(Optional.of(c)))));
    }
    List<ApiObject> out = new ArrayList<>();
    Node updated = n.withMetadata(n.metadata().withLabels(ImmutableMap.copyOf(labels))
        .withAnnotation(CsiNodeRegistration.NODE_ID_ANNOTATION, toJson(ids)));
    if (!updated.equals(n)) {
      out.add(updated);
    }
    ObjectMeta meta = existing.map(CSINode::metadata).orElseGet(() -> ObjectMeta.named(nodeName)
        .withOwnerReferences(ImmutableList.of(new OwnerReference(Node.API_VERSION, Node.KIND, nodeName,
            n.metadata().uid().orElse(""), Optional.empty(), Optional.empty()))));
    CSINode cn = CSINodeBuilder.builder().metadata(meta)
        .spec(CSINodeSpecBuilder.builder().drivers(ImmutableList.copyOf(drivers.values())).build()).build();
    if (existing.isEmpty() || !existing.get().equals(cn)) {
      out.add(cn);
    }
    return out;
  }

  private static Map<String, String> parseIds(String json) {
    Map<String, String> out = new TreeMap<>();
    String s = json.trim();
    if (s.length() < 2) {
      return out;
    }
    for (String part : s.substring(1, s.length() - 1).split(",")) {
      String[] kv = part.split(":", 2);
      if (kv.length == 2) {
        out.put(unquote(kv[0]), unquote(kv[1]));
      }
    }
    return out;
  }

  private static String unquote(String s) {
    String t = s.trim();
    return t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2 ? t.substring(1, t.length() - 1) : t;
  }

  private static String toJson(Map<String, String> ids) {
    StringBuilder b = new StringBuilder("{");
    ids.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(k).append("\":\"").append(v).append('"');
    });
    return b.append('}').toString();
  }
}
