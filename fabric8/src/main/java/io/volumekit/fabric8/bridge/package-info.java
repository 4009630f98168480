/**
 * {@link io.volumekit.fabric8.bridge.Fabric8Bridge}: volumekit's engine next to a real API server,
 * fed by a fabric8 client's informers, writing its results back through the client.
 */
package io.volumekit.fabric8.bridge;
