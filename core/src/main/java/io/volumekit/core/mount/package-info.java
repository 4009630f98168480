/**
 * The kubelets' side of volumes: plugin registration ({@link io.volumekit.core.mount.NodeRegistrar}),
 * the volume manager that stages, publishes and tears down volumes for the pods on each node and
 * marks pods Running ({@link io.volumekit.core.mount.VolumeManager}), the kubelet directory layout
 * ({@link io.volumekit.core.podvolume.VolumeHost}), where node RPCs go ({@link
 * io.volumekit.core.node.NodePlugins}), pod garbage collection for dead nodes, and the host paths
 * of a pod's volume mounts ({@link io.volumekit.core.mount.PodVolumes}).
 */
package io.volumekit.core.mount;

