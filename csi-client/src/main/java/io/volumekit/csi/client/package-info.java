/** volumekit csi-client module. */
package io.volumekit.csi.client;
