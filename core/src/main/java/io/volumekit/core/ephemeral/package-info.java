/**
 * Ephemeral volumes: generic ephemeral volumes' claims ({@link
 * io.volumekit.core.ephemeral.EphemeralVolumeController}), payloads of secret, configMap, downwardAPI
 * and projected volumes ({@link io.volumekit.core.ephemeral.Payloads}), and the port through which
 * the runtime writes node-local volumes ({@link io.volumekit.core.ephemeral.LocalVolumeWriter}) with
 * its real, atomic implementation ({@link io.volumekit.core.ephemeral.FileSystemVolumeWriter}).
 */
package io.volumekit.core.ephemeral;
