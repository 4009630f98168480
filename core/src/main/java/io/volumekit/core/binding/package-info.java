/**
 * PersistentVolume binding: the PV controller's claim and volume syncs, the indexed volume matcher (and the linear Kubernetes-style one), default StorageClass admission, WaitForFirstConsumer placement for pods on a node.
 */
package io.volumekit.core.binding;
