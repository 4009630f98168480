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
 * In-tree Azure disk ({@code azureDisk:}); migrated to CSI in Kubernetes.
 */
@RecordBuilder
public record AzureDiskVolumeSource(
    String diskName,
    String diskURI,
    Optional<String> cachingMode,
    Optional<String> fsType,
    Optional<Boolean> readOnly,
    Optional<String> kind) implements AzureDiskVolumeSourceBuilder.With, VolumeSource {

  public AzureDiskVolumeSource {
    diskName = Normalize.str(diskName);
    diskURI = Normalize.str(diskURI);
    cachingMode = Normalize.opt(cachingMode);
    fsType = Normalize.opt(fsType);
    readOnly = Normalize.opt(readOnly);
    kind = Normalize.opt(kind);
  }
}
