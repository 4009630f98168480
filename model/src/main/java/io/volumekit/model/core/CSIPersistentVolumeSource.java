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
 * A PersistentVolume served by a CSI driver ({@code csi:} in a PV spec), with the secrets each CSI call needs.
 */
@RecordBuilder
public record CSIPersistentVolumeSource(
    String driver,
    String volumeHandle,
    Optional<Boolean> readOnly,
    Optional<String> fsType,
    ImmutableMap<String, String> volumeAttributes,
    Optional<SecretReference> controllerPublishSecretRef,
    Optional<SecretReference> nodeStageSecretRef,
    Optional<SecretReference> nodePublishSecretRef,
    Optional<SecretReference> controllerExpandSecretRef,
    Optional<SecretReference> nodeExpandSecretRef) implements CSIPersistentVolumeSourceBuilder.With, VolumeSource {

  public CSIPersistentVolumeSource {
    driver = Normalize.str(driver);
    volumeHandle = Normalize.str(volumeHandle);
    readOnly = Normalize.opt(readOnly);
    fsType = Normalize.opt(fsType);
    volumeAttributes = Normalize.map(volumeAttributes);
    controllerPublishSecretRef = Normalize.opt(controllerPublishSecretRef);
    nodeStageSecretRef = Normalize.opt(nodeStageSecretRef);
    nodePublishSecretRef = Normalize.opt(nodePublishSecretRef);
    controllerExpandSecretRef = Normalize.opt(controllerExpandSecretRef);
    nodeExpandSecretRef = Normalize.opt(nodeExpandSecretRef);
  }
}
