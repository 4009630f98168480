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
 * A mount of a pod volume into a container ({@code core/v1 VolumeMount}).
 */
@RecordBuilder
public record VolumeMount(
    String name,
    String mountPath,
    Optional<String> subPath,
    Optional<String> subPathExpr,
    Optional<Boolean> readOnly,
    Optional<String> mountPropagation,
    Optional<String> recursiveReadOnly) implements VolumeMountBuilder.With {

  public VolumeMount {
    name = Normalize.str(name);
    mountPath = Normalize.str(mountPath);
    subPath = Normalize.opt(subPath);
    subPathExpr = Normalize.opt(subPathExpr);
    readOnly = Normalize.opt(readOnly);
    mountPropagation = Normalize.opt(mountPropagation);
    recursiveReadOnly = Normalize.opt(recursiveReadOnly);
  }

  /** A mount of the named volume at the path. */
  public static VolumeMount of(String name, String mountPath) {
    return VolumeMountBuilder.builder().name(name).mountPath(mountPath).build();
  }
}
