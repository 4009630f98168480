/**
 * Volume populators (KEP-1495, GA in Kubernetes 1.33): filling a new volume from a claim's {@code
 * dataSourceRef} to a kind that is neither a claim nor a VolumeSnapshot.
 *
 * <p>An embedder plugs a {@link io.volumekit.core.populator.Populator} in for a group/kind ({@code
 * VolumeKit.builder().populator(...)}); the {@link io.volumekit.core.populator.PopulatorController}
 * then does what kubernetes-csi/lib-volume-populator does for it: a prime claim, a populator pod
 * mounting it, the populate call, the PV rebound to the user's claim, clean-up.
 */
package io.volumekit.core.populator;
