/**
 * Attaching CSI volumes to nodes: the attach/detach controller ({@link
 * io.volumekit.core.attach.AttachDetachController}: VolumeAttachments, multi-attach rules, detach
 * after unmount, forced detach for out-of-service nodes) and the external-attacher ({@link
 * io.volumekit.core.attach.ExternalAttacher}: ControllerPublish/Unpublish, attachment status).
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.attach;
