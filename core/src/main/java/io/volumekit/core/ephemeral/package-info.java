/**
 * Ephemeral volumes: generic ephemeral volumes' claims ({@link
 * io.volumekit.core.ephemeral.EphemeralVolumeController}), payloads of secret, configMap, downwardAPI
 * and projected volumes ({@link io.volumekit.core.ephemeral.Payloads}). The runtime writes them
 * through {@link io.volumekit.core.node.LocalVolumeWriter}.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.ephemeral;

