/**
 * Placement of pods without {@code spec.nodeName}: the storage-relevant filters of kube-scheduler
 * (node taints and readiness, node affinity, CSI volume limits, ReadWriteOncePod, volume binding
 * with WaitForFirstConsumer, allowedTopologies and CSIStorageCapacity), its FailedScheduling
 * messages, and a deterministic choice among fitting nodes. Entry point: {@link
 * io.volumekit.core.scheduling.Scheduler}.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.scheduling;
