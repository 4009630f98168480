/**
 * VolumeAttributesClass modification: the external-resizer's modify controller, which calls CSI
 * ControllerModifyVolume when a bound claim's {@code volumeAttributesClassName} changes and reports
 * the progress in {@code status.modifyVolumeStatus} (docs/cases/modify.md).
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.modify;
