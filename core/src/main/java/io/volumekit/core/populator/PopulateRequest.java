package io.volumekit.core.populator;

import io.volumekit.core.effect.PopulateVolume;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.TypedObjectReference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Populator} is asked to fill: lib-volume-populator's {@code PopulatorParams} (the
 * user's claim, the prime claim, the data source) plus the volume as the populator pod has it.
 *
 * @param claim the user's claim
 * @param claimUid the user's claim's uid
 * @param prime the prime claim whose volume is filled
 * @param dataSource the user's claim's {@code dataSourceRef}
 * @param sourceNamespace the namespace of the data source object
 * @param volumeName the PersistentVolume being filled (later bound to {@code claim})
 * @param driver its CSI driver
 * @param volumeHandle its CSI volume handle
 * @param block whether it is a raw block volume
 * @param path where it is on the node: the mounted directory (Filesystem) or the block device (Block)
 */
public record PopulateRequest(
    ObjectKey claim, String claimUid, ObjectKey prime, TypedObjectReference dataSource, String sourceNamespace,
    String volumeName, String driver, String volumeHandle, boolean block, Optional<Path> path) {

  public PopulateRequest {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(claimUid, "claimUid");
    Objects.requireNonNull(prime, "prime");
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sourceNamespace, "sourceNamespace");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(volumeHandle, "volumeHandle");
    Objects.requireNonNull(path, "path");
  }

  /** The request an effect describes. */
  public static PopulateRequest of(PopulateVolume effect) {
    return new PopulateRequest(effect.claim(), effect.claimUid(), effect.prime(), effect.dataSource(),
        effect.sourceNamespace(), effect.volumeName(), effect.driver(), effect.volumeHandle(), effect.block(),
        effect.hostPath().map(Path::of));
  }
}
