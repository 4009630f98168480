/**
 * Interop with the fabric8 Kubernetes client: {@link io.volumekit.fabric8.Fabric8} converts every
 * kind volumekit models to and from fabric8's model, reporting the fields one side cannot hold
 * ({@link io.volumekit.fabric8.Conversion}).
 */
package io.volumekit.fabric8;
