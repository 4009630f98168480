package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;

/**
 * {@code TopologyRequirement}: where a new volume must ({@code requisite}) and should preferably
 * ({@code preferred}, in order) be accessible from (CreateVolume {@code
 * accessibility_requirements}; docs/cases/provisioning.md row topo-1).
 */
public record TopologyRequirement(ImmutableList<Topology> requisite, ImmutableList<Topology> preferred) {
  /** Normalises nulls to empty lists. */
  public TopologyRequirement {
    requisite = Values.list(requisite);
    preferred = Values.list(preferred);
  }

  /** A requirement from plain lists. */
  public static TopologyRequirement of(java.util.List<Topology> requisite, java.util.List<Topology> preferred) {
    return new TopologyRequirement(Values.list(requisite), Values.list(preferred));
  }
}
