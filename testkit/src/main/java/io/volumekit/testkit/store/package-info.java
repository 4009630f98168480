/**
 * The contract every {@link io.volumekit.core.store.Store} keeps (the Kubernetes API server's
 * write semantics), as one abstract JUnit 5 suite a store's tests extend: {@link
 * io.volumekit.testkit.store.StoreContract}.
 */
package io.volumekit.testkit.store;
