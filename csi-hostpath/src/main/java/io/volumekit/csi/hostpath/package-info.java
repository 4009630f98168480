/**
 * A CSI driver in Java, {@code hostpath.csi.volumekit.io}, storing volumes as directories:
 * {@link io.volumekit.csi.hostpath.HostPathDriver} (usable in-process through core's CSI port)
 * and {@link io.volumekit.csi.hostpath.HostPathMain} (serves it on a unix socket).
 */
package io.volumekit.csi.hostpath;
