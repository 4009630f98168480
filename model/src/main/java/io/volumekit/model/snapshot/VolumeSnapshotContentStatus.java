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
 * The observed state of a content; creationTime in ns since the epoch, restoreSize in bytes.
 */
@RecordBuilder
public record VolumeSnapshotContentStatus(
    Optional<String> snapshotHandle,
    Optional<Long> creationTime,
    Optional<Long> restoreSize,
    Optional<Boolean> readyToUse,
    Optional<VolumeSnapshotError> error,
    Optional<String> volumeGroupSnapshotHandle) implements VolumeSnapshotContentStatusBuilder.With {

  public VolumeSnapshotContentStatus {
    snapshotHandle = Normalize.opt(snapshotHandle);
    creationTime = Normalize.opt(creationTime);
    restoreSize = Normalize.opt(restoreSize);
    readyToUse = Normalize.opt(readyToUse);
    error = Normalize.opt(error);
    volumeGroupSnapshotHandle = Normalize.opt(volumeGroupSnapshotHandle);
  }
}
