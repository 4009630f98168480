package io.volumekit.model.snapshot;

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
import io.volumekit.model.core.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source of a content: exactly one of a volume handle (dynamic) or a snapshot handle (pre-provisioned).
 */
@RecordBuilder
public record VolumeSnapshotContentSource(
    Optional<String> volumeHandle,
    Optional<String> snapshotHandle) implements VolumeSnapshotContentSourceBuilder.With {

  public VolumeSnapshotContentSource {
    volumeHandle = Normalize.opt(volumeHandle);
    snapshotHandle = Normalize.opt(snapshotHandle);
  }
}
