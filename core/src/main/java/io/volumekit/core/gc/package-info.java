/**
 * Garbage collection of objects whose owners are gone (metadata.ownerReferences).
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.gc;
