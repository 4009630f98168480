/**
 * What the node-side controllers (scheduler, attach/detach, external-attacher, the kubelet's
 * volume controllers, the ephemeral volume controller) share about pod volumes, kept apart so that
 * none of their packages imports another: facts about pods, claims and nodes ({@link
 * io.volumekit.core.podvolume.PodVolumeSupport}), the kubelet directory layout and the registered
 * drivers ({@link io.volumekit.core.podvolume.VolumeHost}) and their capabilities ({@link
 * io.volumekit.core.podvolume.DriverInfo}).
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.podvolume;
