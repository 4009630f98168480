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
 * A volume's description ({@code core/v1 PersistentVolumeSpec}) with exactly one volume source.
 *
 * <p>{@code storageClassName} is a plain string here, {@code ""} meaning no class, as in Kubernetes.
 */
@RecordBuilder
public record PersistentVolumeSpec(
    ImmutableMap<String, Quantity> capacity,
    ImmutableList<String> accessModes,
    Optional<ObjectReference> claimRef,
    Optional<String> persistentVolumeReclaimPolicy,
    String storageClassName,
    ImmutableList<String> mountOptions,
    Optional<String> volumeMode,
    Optional<VolumeNodeAffinity> nodeAffinity,
    Optional<String> volumeAttributesClassName,
    Optional<CSIPersistentVolumeSource> csi,
    Optional<LocalVolumeSource> local,
    Optional<HostPathVolumeSource> hostPath,
    Optional<NFSVolumeSource> nfs,
    Optional<AWSElasticBlockStoreVolumeSource> awsElasticBlockStore,
    Optional<GCEPersistentDiskVolumeSource> gcePersistentDisk,
    Optional<AzureDiskVolumeSource> azureDisk,
    Optional<AzureFileVolumeSource> azureFile,
    Optional<CinderVolumeSource> cinder,
    Optional<VsphereVirtualDiskVolumeSource> vsphereVolume,
    Optional<PortworxVolumeSource> portworxVolume) implements PersistentVolumeSpecBuilder.With {

  public PersistentVolumeSpec {
    capacity = Normalize.map(capacity);
    accessModes = Normalize.list(accessModes);
    claimRef = Normalize.opt(claimRef);
    persistentVolumeReclaimPolicy = Normalize.opt(persistentVolumeReclaimPolicy);
    storageClassName = Normalize.str(storageClassName);
    mountOptions = Normalize.list(mountOptions);
    volumeMode = Normalize.opt(volumeMode);
    nodeAffinity = Normalize.opt(nodeAffinity);
    volumeAttributesClassName = Normalize.opt(volumeAttributesClassName);
    csi = Normalize.opt(csi);
    local = Normalize.opt(local);
    hostPath = Normalize.opt(hostPath);
    nfs = Normalize.opt(nfs);
    awsElasticBlockStore = Normalize.opt(awsElasticBlockStore);
    gcePersistentDisk = Normalize.opt(gcePersistentDisk);
    azureDisk = Normalize.opt(azureDisk);
    azureFile = Normalize.opt(azureFile);
    cinder = Normalize.opt(cinder);
    vsphereVolume = Normalize.opt(vsphereVolume);
    portworxVolume = Normalize.opt(portworxVolume);
  }

  /** The JSON names of the volume source fields, in declaration order. */
  public static final List<String> SOURCE_FIELDS = List.of("csi", "local", "hostPath", "nfs", "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "vsphereVolume", "portworxVolume");

  /** The set source fields by JSON name (more than one is a validation error). */
  @JsonIgnore
  public ImmutableMap<String, VolumeSource> sources() {
    ImmutableMap.Builder<String, VolumeSource> b = ImmutableMap.builder();
    csi.ifPresent(v -> b.put("csi", v));
    local.ifPresent(v -> b.put("local", v));
    hostPath.ifPresent(v -> b.put("hostPath", v));
    nfs.ifPresent(v -> b.put("nfs", v));
    awsElasticBlockStore.ifPresent(v -> b.put("awsElasticBlockStore", v));
    gcePersistentDisk.ifPresent(v -> b.put("gcePersistentDisk", v));
    azureDisk.ifPresent(v -> b.put("azureDisk", v));
    azureFile.ifPresent(v -> b.put("azureFile", v));
    cinder.ifPresent(v -> b.put("cinder", v));
    vsphereVolume.ifPresent(v -> b.put("vsphereVolume", v));
    portworxVolume.ifPresent(v -> b.put("portworxVolume", v));
    return b.buildOrThrow();
  }

  /** The volume source, if one is set (the first one when several are). */
  @JsonIgnore
  public Optional<VolumeSource> source() {
    return sources().values().stream().findFirst();
  }

  /** The volume mode, {@code Filesystem} when unset. */
  @JsonIgnore
  public String effectiveVolumeMode() {
    return volumeMode.orElse(VolumeModes.FILESYSTEM);
  }
}
