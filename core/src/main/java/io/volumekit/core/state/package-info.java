/**
 * The cluster state: an immutable, indexed snapshot of every object ({@link io.volumekit.core.state.ClusterState}) and the secondary indexes controllers read (binder volume index, unbound claims by class, pods by claim, owners, events).
 */
package io.volumekit.core.state;
