package io.volumekit.core.csi;

import java.util.Optional;

/**
 * NodeGetInfo's answer: the driver's id for this node (what the CO passes as {@code node_id} to
 * ControllerPublish), the most volumes the node can have published (0: no limit; Kubernetes puts it
 * in {@code CSINode.spec.drivers[].allocatable.count}) and where the node is (topology segments
 * become Node labels and CSINode topology keys).
 */
public record NodeGetInfoResponse(String nodeId, long maxVolumesPerNode, Optional<Topology> accessibleTopology) {
  /** Normalises nulls to empty values. */
  public NodeGetInfoResponse {
    nodeId = Values.str(nodeId);
    accessibleTopology = Values.opt(accessibleTopology);
  }
}
