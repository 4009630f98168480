/**
 * The kubelets' side of volumes: plugin registration ({@link io.volumekit.core.mount.NodeRegistrar}),
 * the volume controllers of
 * every node, one per job: {@link io.volumekit.core.mount.PodVolumeController} publishes, writes and
 * tears down the volumes of the pods on the node and marks pods Running; {@link
 * io.volumekit.core.mount.DeviceStagingController} stages a persistent volume's device once per node
 * and unstages it when no pod there needs it; {@link io.volumekit.core.mount.OrphanSweeper} unmounts
 * what force-deleted pods left on a node that comes back. They share the kubelet's operation ids
 * ({@link io.volumekit.core.mount.KubeletOperations}) and key their non-object work items with
 * {@link io.volumekit.core.mount.NodeVolumeKey}. Also: pod garbage collection for dead nodes, and
 * the host paths of a pod's volume mounts ({@link io.volumekit.core.mount.PodVolumes}).
 *
 * <p>Internal: not part of the public API, except {@link io.volumekit.core.mount.PodVolumes}, which {@code VolumeKit} returns.
 */
package io.volumekit.core.mount;

