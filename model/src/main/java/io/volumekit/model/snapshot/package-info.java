/** The snapshot.storage.k8s.io/v1 kinds: VolumeSnapshot, VolumeSnapshotContent, VolumeSnapshotClass. */
package io.volumekit.model.snapshot;
