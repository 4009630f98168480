package io.volumekit.core.provisioning;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The external-provisioner's CreateVolume request for a claim (docs/cases/provisioning.md rows
 * 11-1a and vac-1): the class parameters without the reserved {@code csi.storage.k8s.io/} keys, the
 * provisioner secret, the requested size, one capability per access mode, the topology
 * requirement and the VolumeAttributesClass's {@code mutable_parameters}.
 */
final class CreateVolumeRequests {

  private CreateVolumeRequests() {}

  static CreateVolumeRequest of(ClusterState state, PersistentVolumeClaim claim, StorageClass sc,
      String pvName, Optional<String> node, boolean keepMutableParameters) throws SecretParams.ParameterException {
    Map<String, String> params = new TreeMap<>();
    for (var e : sc.parameters().entrySet()) {
      if (!SecretParams.isReserved(e.getKey())) {
        params.put(e.getKey(), e.getValue());
      }
    }
    Optional<SecretReference> ref =
        SecretParams.resolve(SecretParams.Operation.PROVISIONER, sc.parameters(), pvName, claim);
    Secrets secrets = Secrets.none();
    if (ref.isPresent()) {
      String ns = ref.get().namespace().orElse("");
      Optional<Secret> secret = state.get(ObjectKey.namespaced(Secret.KIND, ns, ref.get().name()), Secret.class);
      if (secret.isEmpty()) {
        throw new SecretParams.ParameterException("failed to get secret " + ns + "/" + ref.get().name()
            + ": secrets \"" + ref.get().name() + "\" not found");
      }
      secrets = Secrets.fromSecret(secret.get());
    }
    ImmutableMap<String, String> mutableParameters =
        keepMutableParameters ? ImmutableMap.of() : mutableParameters(state, claim, sc.provisioner());
    long bytes = Volumes.requestedBytes(claim);
    Optional<TopologyRequirement> topology = TopologyPlanner.requirement(state, sc.provisioner(), sc, node);
    return new CreateVolumeRequest(
        pvName,
        bytes > 0 ? Optional.of(CapacityRange.atLeast(bytes)) : Optional.empty(),
        capabilities(claim, sc, fsType(sc)),
        ImmutableMap.copyOf(params),
        secrets,
        Optional.empty(),
        topology,
        mutableParameters);
  }

  /**
   * Row vac-1: the claim's VolumeAttributesClass parameters, sent as CreateVolume's {@code
   * mutable_parameters}; none without a class. A missing class, or one for another driver, fails
   * provisioning with the external-provisioner's message.
   */
  private static ImmutableMap<String, String> mutableParameters(
      ClusterState state, PersistentVolumeClaim claim, String driver) throws SecretParams.ParameterException {
    String name = claim.spec().volumeAttributesClassName().orElse("");
    if (name.isEmpty()) {
      return ImmutableMap.of();
    }
    Optional<VolumeAttributesClass> vac =
        state.get(ObjectKey.cluster(VolumeAttributesClass.KIND, name), VolumeAttributesClass.class);
    if (vac.isEmpty()) {
      throw new SecretParams.ParameterException("volumeattributesclasses.storage.k8s.io \"" + name + "\" not found");
    }
    if (!vac.get().driverName().equals(driver)) {
      throw new SecretParams.ParameterException("VAC " + name + " referenced in PVC is for driver "
          + vac.get().driverName() + " which does not match driver name " + driver);
    }
    return vac.get().parameters();
  }

  static String fsType(StorageClass sc) {
    return Optional.ofNullable(sc.parameters().get(SecretParams.PREFIX + "fstype"))
        .or(() -> Optional.ofNullable(sc.parameters().get("fstype"))).orElse("");
  }

  /** Row 11-1a: one capability per access mode, block or mount (with the class mount options). */
  static ImmutableList<VolumeCapability> capabilities(PersistentVolumeClaim claim, StorageClass sc, String fsType) {
    List<VolumeCapability> caps = new ArrayList<>();
    boolean block = VolumeModes.BLOCK.equals(claim.spec().effectiveVolumeMode());
    for (String m : claim.spec().accessModes()) {
      AccessMode mode = switch (m) {
        case AccessModes.READ_WRITE_ONCE -> AccessMode.SINGLE_NODE_WRITER;
        case AccessModes.READ_ONLY_MANY -> AccessMode.MULTI_NODE_READER_ONLY;
        case AccessModes.READ_WRITE_MANY -> AccessMode.MULTI_NODE_MULTI_WRITER;
        case AccessModes.READ_WRITE_ONCE_POD -> AccessMode.SINGLE_NODE_SINGLE_WRITER;
        default -> AccessMode.UNKNOWN;
      };
      caps.add(block ? VolumeCapability.block(mode) : VolumeCapability.mount(fsType, sc.mountOptions(), mode));
    }
    return ImmutableList.copyOf(caps);
  }
}
