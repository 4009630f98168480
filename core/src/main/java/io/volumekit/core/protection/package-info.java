/**
 * In-use protection: the pvc-protection, pv-protection and (volumekit's own) secret-protection
 * finalizers and their admission.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.protection;
