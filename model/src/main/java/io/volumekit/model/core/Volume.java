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
 * A pod volume ({@code core/v1 Volume}): a name and one volume source.
 *
 * <p>The JSON shape is flat ({@code name} next to e.g. {@code persistentVolumeClaim}), so each source is its own optional
 * component; {@link #source()} gives it as the sealed {@link VolumeSource}. Setting several is kept as read and reported by
 * validation ({@code may not specify more than 1 volume type}).
 */
@RecordBuilder
public record Volume(
    String name,
    Optional<PersistentVolumeClaimVolumeSource> persistentVolumeClaim,
    Optional<EmptyDirVolumeSource> emptyDir,
    Optional<@Valid SecretVolumeSource> secret,
    Optional<@Valid ConfigMapVolumeSource> configMap,
    Optional<@Valid DownwardAPIVolumeSource> downwardAPI,
    Optional<@Valid ProjectedVolumeSource> projected,
    Optional<CSIVolumeSource> csi,
    Optional<EphemeralVolumeSource> ephemeral,
    Optional<HostPathVolumeSource> hostPath,
    Optional<ImageVolumeSource> image,
    Optional<NFSVolumeSource> nfs,
    Optional<AWSElasticBlockStoreVolumeSource> awsElasticBlockStore,
    Optional<GCEPersistentDiskVolumeSource> gcePersistentDisk,
    Optional<AzureDiskVolumeSource> azureDisk,
    Optional<AzureFileVolumeSource> azureFile,
    Optional<CinderVolumeSource> cinder,
    Optional<VsphereVirtualDiskVolumeSource> vsphereVolume,
    Optional<PortworxVolumeSource> portworxVolume) implements VolumeBuilder.With {

  public Volume {
    name = Normalize.str(name);
    persistentVolumeClaim = Normalize.opt(persistentVolumeClaim);
    emptyDir = Normalize.opt(emptyDir);
    secret = Normalize.opt(secret);
    configMap = Normalize.opt(configMap);
    downwardAPI = Normalize.opt(downwardAPI);
    projected = Normalize.opt(projected);
    csi = Normalize.opt(csi);
    ephemeral = Normalize.opt(ephemeral);
    hostPath = Normalize.opt(hostPath);
    image = Normalize.opt(image);
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
  public static final List<String> SOURCE_FIELDS = List.of("persistentVolumeClaim", "emptyDir", "secret", "configMap", "downwardAPI", "projected", "csi", "ephemeral", "hostPath", "image", "nfs", "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "vsphereVolume", "portworxVolume");

  /** The set source fields by JSON name (more than one is a validation error). */
  @JsonIgnore
  public ImmutableMap<String, VolumeSource> sources() {
    ImmutableMap.Builder<String, VolumeSource> b = ImmutableMap.builder();
    persistentVolumeClaim.ifPresent(v -> b.put("persistentVolumeClaim", v));
    emptyDir.ifPresent(v -> b.put("emptyDir", v));
    secret.ifPresent(v -> b.put("secret", v));
    configMap.ifPresent(v -> b.put("configMap", v));
    downwardAPI.ifPresent(v -> b.put("downwardAPI", v));
    projected.ifPresent(v -> b.put("projected", v));
    csi.ifPresent(v -> b.put("csi", v));
    ephemeral.ifPresent(v -> b.put("ephemeral", v));
    hostPath.ifPresent(v -> b.put("hostPath", v));
    image.ifPresent(v -> b.put("image", v));
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

  /** A volume with a name and one source. */
  public static Volume of(String name, VolumeSource source) {
    VolumeBuilder b = VolumeBuilder.builder().name(name);
    if (source instanceof PersistentVolumeClaimVolumeSource s) {
      return b.persistentVolumeClaim(Optional.of(s)).build();
    }
    if (source instanceof EmptyDirVolumeSource s) {
      return b.emptyDir(Optional.of(s)).build();
    }
    if (source instanceof SecretVolumeSource s) {
      return b.secret(Optional.of(s)).build();
    }
    if (source instanceof ConfigMapVolumeSource s) {
      return b.configMap(Optional.of(s)).build();
    }
    if (source instanceof DownwardAPIVolumeSource s) {
      return b.downwardAPI(Optional.of(s)).build();
    }
    if (source instanceof ProjectedVolumeSource s) {
      return b.projected(Optional.of(s)).build();
    }
    if (source instanceof CSIVolumeSource s) {
      return b.csi(Optional.of(s)).build();
    }
    if (source instanceof EphemeralVolumeSource s) {
      return b.ephemeral(Optional.of(s)).build();
    }
    if (source instanceof HostPathVolumeSource s) {
      return b.hostPath(Optional.of(s)).build();
    }
    if (source instanceof ImageVolumeSource s) {
      return b.image(Optional.of(s)).build();
    }
    if (source instanceof NFSVolumeSource s) {
      return b.nfs(Optional.of(s)).build();
    }
    if (source instanceof AWSElasticBlockStoreVolumeSource s) {
      return b.awsElasticBlockStore(Optional.of(s)).build();
    }
    if (source instanceof GCEPersistentDiskVolumeSource s) {
      return b.gcePersistentDisk(Optional.of(s)).build();
    }
    if (source instanceof AzureDiskVolumeSource s) {
      return b.azureDisk(Optional.of(s)).build();
    }
    if (source instanceof AzureFileVolumeSource s) {
      return b.azureFile(Optional.of(s)).build();
    }
    if (source instanceof CinderVolumeSource s) {
      return b.cinder(Optional.of(s)).build();
    }
    if (source instanceof VsphereVirtualDiskVolumeSource s) {
      return b.vsphereVolume(Optional.of(s)).build();
    }
    if (source instanceof PortworxVolumeSource s) {
      return b.portworxVolume(Optional.of(s)).build();
    }
    throw new IllegalArgumentException("not a pod volume source: " + source.getClass().getSimpleName());
  }
}
