/**
 * The groupsnapshot.storage.k8s.io/v1beta1 kinds (external-snapshotter's volume group snapshots,
 * KEP-3476): VolumeGroupSnapshot (a user's request for crash-consistent snapshots of the claims a
 * label selector picks), VolumeGroupSnapshotContent (the group snapshot on the storage system) and
 * VolumeGroupSnapshotClass (driver, parameters, deletion policy).
 */
package io.volumekit.model.groupsnapshot;
