/**
 * The CSI port's gRPC adapter: {@link io.volumekit.csi.client.GrpcCsiDriver} calls any csi.v1
 * driver over a unix socket or TCP, {@link io.volumekit.csi.client.server.CsiGrpcServer} serves
 * any core {@link io.volumekit.core.csi.CsiDriver}. Protobuf and gRPC types stay in the {@code
 * internal} package and never appear in this API.
 */
package io.volumekit.csi.client;
