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
 * A snapshot on the storage system and the VolumeSnapshot bound to it.
 */
@RecordBuilder
public record VolumeSnapshotContentSpec(
    ObjectReference volumeSnapshotRef,
    String deletionPolicy,
    String driver,
    Optional<String> volumeSnapshotClassName,
    VolumeSnapshotContentSource source,
    Optional<String> sourceVolumeMode) implements VolumeSnapshotContentSpecBuilder.With {

  public VolumeSnapshotContentSpec {
    volumeSnapshotRef = Normalize.or(volumeSnapshotRef, () -> ObjectReferenceBuilder.builder().build());
    deletionPolicy = Normalize.str(deletionPolicy);
    driver = Normalize.str(driver);
    volumeSnapshotClassName = Normalize.opt(volumeSnapshotClassName);
    source = Normalize.or(source, () -> VolumeSnapshotContentSourceBuilder.builder().build());
    sourceVolumeMode = Normalize.opt(sourceVolumeMode);
  }
}
