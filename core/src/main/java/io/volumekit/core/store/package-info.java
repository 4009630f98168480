/**
 * Where the state lives, with the API server's write semantics: uids, resourceVersion and optimistic concurrency, generateName, finalizers and deletionTimestamp, admission hooks ({@link io.volumekit.core.store.Store}, {@link io.volumekit.core.store.InMemoryStore}).
 */
package io.volumekit.core.store;
