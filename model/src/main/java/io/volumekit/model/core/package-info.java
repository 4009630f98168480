/**
 * The core/v1 kinds volumekit works with (Pod, PersistentVolume, PersistentVolumeClaim, Node,
 * Namespace, Secret, ConfigMap, Event) and their parts: volume sources (the sealed
 * {@link io.volumekit.model.core.VolumeSource}), mounts, node selectors, taints and tolerations.
 */
package io.volumekit.model.core;
