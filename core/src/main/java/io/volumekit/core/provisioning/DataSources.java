package io.volumekit.core.provisioning;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.datasource.ReferenceGrants;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.storage.StorageClass;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a claim's {@code dataSource} / {@code dataSourceRef} into the CSI {@code
 * volume_content_source} of its CreateVolume, or says why it cannot (yet).
 *
 * <p>Mirrors external-provisioner's {@code dataSource}, the data-source part of {@code
 * prepareProvision}, {@code checkDriverCapabilities}, {@code getSnapshotSource} and {@code
 * getPVCSource} (docs/cases/snapshots.md), with their messages:
 *
 * <ul>
 *   <li>a VolumeSnapshot (API group {@code snapshot.storage.k8s.io}) is restored when it is bound
 *       both ways to a content of the class's driver, ready to use, with a snapshot handle, no larger
 *       than the claim's request, and of the claim's volume mode unless the content allows the change;
 *       the driver must report CREATE_DELETE_SNAPSHOT;
 *   <li>a PersistentVolumeClaim is cloned when it is Bound (both ways) to a CSI volume of the same
 *       driver, not being deleted, no larger than the new request, of the same volume mode; the driver
 *       must report CLONE_VOLUME;
 *   <li>any other kind is left to an external volume populator;
 *   <li>a {@code dataSourceRef} with a namespace is refused while the CrossNamespaceVolumeDataSource
 *       gate is off (the default, as in Kubernetes); with it on, a data source in another namespace
 *       needs a ReferenceGrant there ({@link ReferenceGrants}), for every kind.
 * </ul>
 *
 * Every failure is retried when the objects it depends on change, so a snapshot that is not ready
 * yet is a wait, not a final error.
 */
final class DataSources {

  private DataSources() {}

  /** What provisioning does with a claim's data source. */
  sealed interface Resolution {
    /** No data source: an empty volume. */
    record Empty() implements Resolution {}

    /** Create the volume from this content source. */
    record Source(VolumeContentSource source, String kind, String name) implements Resolution {}

    /** A kind the CSI provisioner does not handle: an external populator must fill the claim. */
    record Populator(String kind, String name) implements Resolution {}

    /** The claim cannot be provisioned now; the message is Kubernetes' error text. */
    record Failed(String message) implements Resolution {}
  }

  /** The normalized data source: the external-provisioner's {@code dataSource()} result. */
  record Ref(String apiGroup, String kind, String name, String namespace) {}

  /** The claim's data source, normalized as external-provisioner does (dataSource wins). */
  static Optional<Ref> ref(PersistentVolumeClaim claim) {
    String ns = claim.metadata().namespaceOrEmpty();
    if (claim.spec().dataSource().isPresent()) {
      TypedLocalObjectReference d = claim.spec().dataSource().get();
      return Optional.of(new Ref(d.apiGroup().orElse(""), d.kind(), d.name(), ns));
    }
    if (claim.spec().dataSourceRef().isPresent()) {
      TypedObjectReference d = claim.spec().dataSourceRef().get();
      return Optional.of(new Ref(d.apiGroup().orElse(""), d.kind(), d.name(), d.namespace().orElse(ns)));
    }
    return Optional.empty();
  }

  /**
   * Resolves the claim's data source for a claim of the class. {@code capabilities} are the driver's
   * controller capabilities when known (empty: not known, the driver's CreateVolume decides).
   */
  static Resolution resolve(ClusterState state, PersistentVolumeClaim claim, StorageClass sc,
      Optional<Set<ControllerCapability>> capabilities, boolean crossNamespace) {
    if (!crossNamespace && claim.spec().dataSource().isEmpty()
        && claim.spec().dataSourceRef().flatMap(TypedObjectReference::namespace).filter(n -> !n.isEmpty()).isPresent()) {
      return new Resolution.Failed(ReferenceGrants.DISABLED);
    }
    // The gate on: a data source in another namespace needs a ReferenceGrant there (checked first,
    // as external-provisioner's dataSource() does, for every kind).
    Optional<String> refused = ReferenceGrants.refusal(state, claim);
    if (refused.isPresent()) {
      return new Resolution.Failed(refused.get());
    }
    Optional<Ref> found = ref(claim);
    if (found.isEmpty()) {
      return new Resolution.Empty();
    }
    Ref ref = found.get();
    if (ref.name().isEmpty()) {
      return new Resolution.Failed("the PVC source not found for PVC " + claim.metadata().name());
    }
    boolean snapshot;
    switch (ref.kind()) {
      case VolumeSnapshot.KIND -> {
        if (!ref.apiGroup().equals(Snapshots.GROUP)) {
          return new Resolution.Failed("the PVC source does not belong to the right APIGroup. Expected "
              + Snapshots.GROUP + ", Got " + ref.apiGroup());
        }
        snapshot = true;
      }
      case PersistentVolumeClaim.KIND -> snapshot = false;
      default -> {
        return new Resolution.Populator(ref.kind(), ref.name());
      }
    }
    if (capabilities.isPresent()) {
      if (snapshot && !capabilities.get().contains(ControllerCapability.CREATE_DELETE_SNAPSHOT)) {
        return new Resolution.Failed(
            "CSI driver does not support snapshot restore: controller CREATE_DELETE_SNAPSHOT capability is not reported");
      }
      if (!snapshot && !capabilities.get().contains(ControllerCapability.CLONE_VOLUME)) {
        return new Resolution.Failed(
            "CSI driver does not support clone operations: controller CLONE_VOLUME capability is not reported");
      }
    }
    String prefix = "error getting handle for DataSource Type " + ref.kind() + " by Name " + ref.name() + ": ";
    try {
      VolumeContentSource source = snapshot ? snapshotSource(state, claim, sc, ref) : claimSource(state, claim, sc, ref);
      return new Resolution.Source(source, ref.kind(), ref.name());
    } catch (NotReady e) {
      return new Resolution.Failed(prefix + e.getMessage());
    }
  }

  /** external-provisioner's getSnapshotSource. */
  private static VolumeContentSource snapshotSource(ClusterState state, PersistentVolumeClaim claim, StorageClass sc, Ref ref)
      throws NotReady {
    String name = ref.name();
    VolumeSnapshot snap = state.get(Snapshots.snapshotKey(ref.namespace(), name), VolumeSnapshot.class)
        .orElseThrow(() -> new NotReady("error getting snapshot " + name + " from api server: volumesnapshots."
            + Snapshots.GROUP + " \"" + name + "\" not found"));
    if (snap.metadata().isDeleting() && !snap.metadata().hasFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)) {
      throw new NotReady("snapshot " + name + " is being deleted");
    }
    NotReady notBound = new NotReady("snapshot " + name + " not bound");
    String contentName = snap.status().boundVolumeSnapshotContentName().orElseThrow(() -> notBound);
    VolumeSnapshotContent content = state.get(Snapshots.contentKey(contentName), VolumeSnapshotContent.class)
        .orElseThrow(() -> notBound);
    if (!Snapshots.refersTo(content, snap) || !content.spec().driver().equals(sc.provisioner())) {
      throw notBound;
    }
    if (!snap.status().readyToUse().orElse(false)) {
      throw new NotReady("snapshot " + name + " is not Ready");
    }
    String handle = content.status().snapshotHandle()
        .orElseThrow(() -> new NotReady("snapshot handle " + name + " is not available"));
    if (snap.status().restoreSize().isPresent()) {
      if (claim.requestedStorage().isEmpty()) {
        throw new NotReady("error getting capacity for PVC " + claim.metadata().name() + " when creating snapshot " + name);
      }
      long requested = Volumes.requestedBytes(claim);
      long restore = snap.status().restoreSize().get().value();
      if (requested < restore) {
        throw new NotReady("requested volume size " + requested + " is less than the size " + restore
            + " for the source snapshot " + name);
      }
    }
    // KEP-3141: changing the volume mode of a snapshot's data needs the admin's consent on the content.
    Optional<String> sourceMode = content.spec().sourceVolumeMode();
    if (sourceMode.isPresent() && !sourceMode.get().equals(claim.spec().effectiveVolumeMode())) {
      String start = "requested volume " + claim.metadata().namespaceOrEmpty() + "/" + claim.metadata().name()
          + " modifies the mode of the source volume but does not have permission to do so. ";
      Optional<String> allow = content.metadata().annotation(Snapshots.ALLOW_VOLUME_MODE_CHANGE);
      if (allow.isEmpty()) {
        throw new NotReady(start + Snapshots.ALLOW_VOLUME_MODE_CHANGE + " annotation is not present on snapshotcontent "
            + contentName);
      }
      Optional<Boolean> allowed = parseBool(allow.get());
      if (allowed.isEmpty()) {
        throw new NotReady(start + "failed to convert " + Snapshots.ALLOW_VOLUME_MODE_CHANGE
            + " annotation value to boolean with error: strconv.ParseBool: parsing \"" + allow.get() + "\": invalid syntax");
      }
      if (!allowed.get()) {
        throw new NotReady(start + Snapshots.ALLOW_VOLUME_MODE_CHANGE + " is set to false on snapshotcontent " + contentName);
      }
    }
    return VolumeContentSource.snapshot(handle);
  }

  /** external-provisioner's getPVCSource. */
  private static VolumeContentSource claimSource(ClusterState state, PersistentVolumeClaim claim, StorageClass sc, Ref ref)
      throws NotReady {
    String name = ref.name();
    PersistentVolumeClaim source = state.get(Volumes.claimKey(ref.namespace(), name), PersistentVolumeClaim.class)
        .orElseThrow(() -> new NotReady("error getting PVC " + name + " (namespace \"" + claim.metadata().namespaceOrEmpty()
            + "\") from api server: persistentvolumeclaims \"" + name + "\" not found"));
    if (!source.phase().equals(PersistentVolumeClaimStatus.BOUND)) {
      throw new NotReady("the PVC DataSource " + name + " must have a status of Bound.  Got {" + source.phase() + "}");
    }
    if (source.metadata().isDeleting()) {
      throw new NotReady("the PVC DataSource " + name + " is currently being deleted");
    }
    if (!Volumes.hasClass(source)) {
      throw new NotReady("the source PVC (" + name + ") storageclass cannot be empty");
    }
    long requested = Volumes.requestedBytes(claim);
    long sourceSize = Volumes.requestedBytes(source);
    if (requested < sourceSize) {
      throw new NotReady("error, new PVC request must be greater than or equal in size to the specified PVC data source,"
          + " requested " + requested + " but source is " + sourceSize);
    }
    String pvName = source.volumeName().orElseThrow(() -> new NotReady("volume name is empty in source PVC " + name));
    NotReady invalid = new NotReady("claim in dataSource not bound or invalid");
    PersistentVolume pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class).orElseThrow(() -> invalid);
    if (pv.csi().isEmpty() || !pv.csi().get().driver().equals(sc.provisioner())
        || pv.spec().claimRef().isEmpty()
        || !pv.spec().claimRef().get().uidOrEmpty().equals(source.metadata().uid().orElse(""))
        || !Volumes.isBoundToClaim(pv, source)
        || !pv.isBound()) {
      throw invalid;
    }
    boolean claimBlock = VolumeModes.BLOCK.equals(claim.spec().effectiveVolumeMode());
    boolean sourceBlock = VolumeModes.BLOCK.equals(pv.spec().effectiveVolumeMode());
    if (!claimBlock && sourceBlock) {
      throw new NotReady("the source PVC and destination PVCs must have the same volume mode for cloning."
          + "  Source is Block, but new PVC requested Filesystem");
    }
    if (claimBlock && !sourceBlock) {
      throw new NotReady("the source PVC and destination PVCs must have the same volume mode for cloning."
          + "  Source is Filesystem, but new PVC requested Block");
    }
    return VolumeContentSource.volume(pv.csi().get().volumeHandle());
  }

  /** Go's strconv.ParseBool. */
  static Optional<Boolean> parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** A data source that cannot be used (yet); carries Kubernetes' message. */
  private static final class NotReady extends Exception {
    NotReady(String message) {
      super(message, null, false, false);
    }
  }

}
