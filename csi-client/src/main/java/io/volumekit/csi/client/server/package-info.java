/** Serving any core {@link io.volumekit.core.csi.CsiDriver} as a csi.v1 gRPC server. */
package io.volumekit.csi.client.server;
