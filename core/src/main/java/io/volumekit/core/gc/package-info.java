/**
 * Garbage collection of objects whose owners are gone (metadata.ownerReferences).
 */
package io.volumekit.core.gc;
