/**
 * Volume expansion: the {@code PersistentVolumeClaimResize} admission plugin ({@link
 * io.volumekit.core.expansion.ResizeAdmission}), the CSI external-resizer ({@link
 * io.volumekit.core.expansion.ExternalResizer}: ControllerExpandVolume, recovery from failed
 * expansion) and the kubelet's node expansion ({@link
 * io.volumekit.core.expansion.NodeExpansionController}: NodeExpandVolume). The claim's resize
 * bookkeeping ({@code status.allocatedResources}, {@code allocatedResourceStatuses}, the resize
 * conditions) is in {@link io.volumekit.core.expansion.ClaimResize}.
 *
 * <p>Internal: not part of the public API (docs/architecture.md), except the controllers' {@code
 * NAME} constants.
 */
package io.volumekit.core.expansion;
