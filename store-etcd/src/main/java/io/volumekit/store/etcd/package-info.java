/**
 * The engine's {@link io.volumekit.core.store.Store} on etcd, as the Kubernetes API server keeps
 * its objects: one key per object under a cluster prefix, {@code resourceVersion} as the etcd
 * modification revision, writes as compare-and-swap transactions, and a watch that keeps a local
 * snapshot current (the API server's watch cache).
 */
package io.volumekit.store.etcd;
