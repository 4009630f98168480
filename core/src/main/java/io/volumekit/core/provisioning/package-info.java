/**
 * Dynamic provisioning through CSI CreateVolume: the external-provisioner for registered drivers, secrets templates, topology.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.provisioning;
