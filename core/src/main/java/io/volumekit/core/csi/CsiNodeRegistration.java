package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What registering a CSI driver on a node produces, as plain values: the CSINode driver entry
 * ({@code spec.drivers[]}: name, nodeID, sorted topologyKeys, allocatable count) and the Node
 * labels and annotation entry. Mirrors the kubelet's registration handler and node info manager
 * (docs/cases/node-side.md row R1, {@code pkg/volume/csi/nodeinfomanager/nodeinfomanager.go}):
 * an empty node id is refused; {@code max_volumes_per_node} 0 means no allocatable entry, values
 * above 2^31-1 are truncated, negative values are ignored.
 *
 * <pre>{@code
 * CsiNodeRegistration reg = CsiNodeRegistration.register("node-1", driver);
 * // reg.nodeId(), reg.topologyKeys(), reg.allocatableCount() -> CSINode.spec.drivers[]
 * }</pre>
 */
public record CsiNodeRegistration(
    String driverName,
    String nodeName,
    String nodeId,
    ImmutableList<String> topologyKeys,
    ImmutableMap<String, String> topologyLabels,
    Optional<Integer> allocatableCount) {

  /** The Node annotation holding a JSON object {@code {driverName: nodeId, ...}}. */
  public static final String NODE_ID_ANNOTATION = "csi.volume.kubernetes.io/nodeid";

  private static final Logger LOG = LoggerFactory.getLogger(CsiNodeRegistration.class);

  /** Normalises nulls; sorts the topology keys. */
  public CsiNodeRegistration {
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeId, "nodeId");
    topologyKeys = ImmutableList.sortedCopyOf(Values.list(topologyKeys));
    topologyLabels = Values.map(topologyLabels);
    allocatableCount = Values.opt(allocatableCount);
  }

  /**
   * Calls GetPluginInfo and NodeGetInfo on {@code driver} (as the node's kubelet would) and builds
   * the registration of that driver on node {@code nodeName}. Throws FAILED_PRECONDITION when the
   * driver reports an empty node id or name; driver errors propagate.
   */
  public static CsiNodeRegistration register(String nodeName, CsiDriver driver) {
    String name = driver.getPluginInfo().name();
    if (name.isEmpty()) {
      throw CsiException.failedPrecondition("GetPluginInfo returned an empty driver name");
    }
    NodeGetInfoResponse info = driver.nodeGetInfo();
    if (info.nodeId().isEmpty()) {
      throw CsiException.failedPrecondition("driver " + name + " returned an empty node_id for node " + nodeName);
    }
    ImmutableMap<String, String> segments =
        info.accessibleTopology().map(Topology::segments).orElse(ImmutableMap.of());
    Optional<Integer> count;
    long max = info.maxVolumesPerNode();
    if (max > Integer.MAX_VALUE) {
      count = Optional.of(Integer.MAX_VALUE);
    } else if (max > 0) {
      count = Optional.of((int) max);
    } else {
      if (max < 0) {
        LOG.warn("driver {} on node {} reported a negative max_volumes_per_node {}; ignored", name, nodeName, max);
      }
      count = Optional.empty();
    }
    return new CsiNodeRegistration(name, nodeName, info.nodeId(), segments.keySet().asList(), segments, count);
  }
}
