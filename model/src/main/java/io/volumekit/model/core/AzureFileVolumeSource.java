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
 * In-tree Azure file share ({@code azureFile:}); {@code secretNamespace} is only valid in a PersistentVolume.
 */
@RecordBuilder
public record AzureFileVolumeSource(
    String secretName,
    String shareName,
    Optional<Boolean> readOnly,
    Optional<String> secretNamespace) implements AzureFileVolumeSourceBuilder.With, VolumeSource {

  public AzureFileVolumeSource {
    secretName = Normalize.str(secretName);
    shareName = Normalize.str(shareName);
    readOnly = Normalize.opt(readOnly);
    secretNamespace = Normalize.opt(secretNamespace);
  }
}
