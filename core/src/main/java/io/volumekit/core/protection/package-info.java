/**
 * In-use protection: the pvc-protection and pv-protection finalizers and their admission.
 */
package io.volumekit.core.protection;
