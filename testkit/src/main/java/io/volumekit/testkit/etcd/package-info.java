/**
 * A real etcd for tests: {@link io.volumekit.testkit.etcd.EtcdServer} starts the installed {@code
 * etcd} binary on free loopback ports with a temporary data directory.
 */
package io.volumekit.testkit.etcd;
