/** volumekit csi-hostpath module. */
package io.volumekit.csi.hostpath;
