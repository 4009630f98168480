package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * {@code Volume}: a volume as returned by CreateVolume, ListVolumes and ControllerGetVolume.
 * {@code capacityBytes} 0 means unknown; {@code volumeContext} is opaque driver data the CO passes
 * back unchanged to ControllerPublish, NodeStage and NodePublish (Kubernetes stores it as {@code
 * PV.spec.csi.volumeAttributes}); an empty {@code accessibleTopology} means accessible everywhere.
 */
public record Volume(
    long capacityBytes,
    String volumeId,
    ImmutableMap<String, String> volumeContext,
    Optional<VolumeContentSource> contentSource,
    ImmutableList<Topology> accessibleTopology) {
  /** Normalises nulls to empty values. */
  public Volume {
    volumeId = Values.str(volumeId);
    volumeContext = Values.map(volumeContext);
    contentSource = Values.opt(contentSource);
    accessibleTopology = Values.list(accessibleTopology);
  }
}
