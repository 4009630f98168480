/**
 * The storage.k8s.io/v1 kinds: StorageClass, VolumeAttributesClass, CSIDriver, CSINode,
 * VolumeAttachment and CSIStorageCapacity.
 */
package io.volumekit.model.storage;
