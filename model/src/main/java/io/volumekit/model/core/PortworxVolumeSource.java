package io.volumekit.model.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import io.volumekit.model.meta.*;
import io.volumekit.model.quantity.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-tree Portworx volume ({@code portworxVolume:}); migrated to the {@code pxd.portworx.com} CSI
 * driver in Kubernetes.
 */
@RecordBuilder
public record PortworxVolumeSource(
    String volumeID,
    Optional<String> fsType,
    Optional<Boolean> readOnly) implements PortworxVolumeSourceBuilder.With, VolumeSource {

  public PortworxVolumeSource {
    volumeID = Normalize.str(volumeID);
    fsType = Normalize.opt(fsType);
    readOnly = Normalize.opt(readOnly);
  }
}
