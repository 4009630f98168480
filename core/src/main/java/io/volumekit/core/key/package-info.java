/**
 * How objects are named and how they change: {@link io.volumekit.core.key.ObjectKey} (kind,
 * namespace, name — the informer cache's {@code namespace/name} key with the kind added) and
 * {@link io.volumekit.core.key.Change} (a watch event: added, modified, deleted).
 *
 * <p>The bottom layer of core: it uses only the model, so every other package may use it.
 */
package io.volumekit.core.key;
