/**
 * In-use protection: the pvc-protection and pv-protection finalizers and their admission.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.protection;
