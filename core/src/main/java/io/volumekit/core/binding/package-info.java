/**
 * PersistentVolume binding: the PV controller's claim and volume syncs, the indexed volume matcher (and the linear Kubernetes-style one), default StorageClass admission, WaitForFirstConsumer placement for pods on a node.
 *
 * <p>Internal: not part of the public API, except {@link io.volumekit.core.binding.VolumeMatcher} and its implementations, which {@code VolumeKit.Builder} takes.
 */
package io.volumekit.core.binding;
