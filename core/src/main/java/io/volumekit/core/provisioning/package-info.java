/**
 * Dynamic provisioning through CSI CreateVolume: the external-provisioner for registered drivers, secrets templates, topology.
 */
package io.volumekit.core.provisioning;
