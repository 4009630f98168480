package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * {@code Topology}: a set of topology segments (key to value), e.g. {@code
 * topology.hostpath.csi.volumekit.io/node=node-1}. Kubernetes turns a node's segments into Node
 * labels and CSINode topology keys (docs/cases/node-side.md row R1).
 */
public record Topology(ImmutableMap<String, String> segments) {
  /** Normalises null to empty. */
  public Topology {
    segments = Values.map(segments);
  }

  /** A topology from the given segments. */
  public static Topology of(Map<String, String> segments) {
    return new Topology(ImmutableMap.copyOf(segments));
  }

  /** A topology with a single segment. */
  public static Topology of(String key, String value) {
    return new Topology(ImmutableMap.of(key, value));
  }
}
