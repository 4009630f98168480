/**
 * VolumeSnapshots: the snapshot controller ({@link io.volumekit.core.snapshot.SnapshotController},
 * external-snapshotter's common controller) binds snapshots to contents and mirrors their status;
 * the CSI snapshotter ({@link io.volumekit.core.snapshot.CsiSnapshotter}, the csi-snapshotter
 * sidecar) makes the CreateSnapshot, ListSnapshots and DeleteSnapshot calls.
 */
package io.volumekit.core.snapshot;
