/**
 * Reclaim of released volumes (Retain, Delete through CSI DeleteVolume, Recycle refused) and the deletion finalizers of KEP-2644.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.reclaim;
