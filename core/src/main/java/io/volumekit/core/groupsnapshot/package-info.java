/**
 * Volume group snapshots (groupsnapshot.storage.k8s.io): the group snapshot controller ({@link
 * io.volumekit.core.groupsnapshot.GroupSnapshotController}, external-snapshotter's common
 * controller for groups) binds each VolumeGroupSnapshot to a VolumeGroupSnapshotContent and makes
 * one VolumeSnapshot and VolumeSnapshotContent per member; the CSI group snapshotter ({@link
 * io.volumekit.core.groupsnapshot.CsiGroupSnapshotter}, the csi-snapshotter sidecar's group part)
 * makes the CreateVolumeGroupSnapshot and DeleteVolumeGroupSnapshot calls.
 */
package io.volumekit.core.groupsnapshot;
