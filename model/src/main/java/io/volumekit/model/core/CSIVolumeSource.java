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
 * A CSI ephemeral inline volume ({@code csi:} in a pod): the driver makes it for this pod only.
 */
@RecordBuilder
public record CSIVolumeSource(
    String driver,
    Optional<Boolean> readOnly,
    Optional<String> fsType,
    ImmutableMap<String, String> volumeAttributes,
    Optional<LocalObjectReference> nodePublishSecretRef) implements CSIVolumeSourceBuilder.With, VolumeSource {

  public CSIVolumeSource {
    driver = Normalize.str(driver);
    readOnly = Normalize.opt(readOnly);
    fsType = Normalize.opt(fsType);
    volumeAttributes = Normalize.map(volumeAttributes);
    nodePublishSecretRef = Normalize.opt(nodePublishSecretRef);
  }
}
