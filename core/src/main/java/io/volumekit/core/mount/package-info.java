/**
 * The kubelets' side of volumes: plugin registration ({@link io.volumekit.core.mount.NodeRegistrar}),
 * the volume manager that stages, publishes and tears down volumes for the pods on each node and
 * marks pods Running ({@link io.volumekit.core.mount.VolumeManager}), pod garbage collection for
 * dead nodes, and the host paths
 * of a pod's volume mounts ({@link io.volumekit.core.mount.PodVolumes}).
 *
 * <p>Internal: not part of the public API, except {@link io.volumekit.core.mount.PodVolumes}, which {@code VolumeKit} returns.
 */
package io.volumekit.core.mount;

