/**
 * Internals of the gRPC adapter: the generated csi.v1 protobuf classes ({@code .proto}
 * subpackage) and the mapping between them and core's CSI records. Not API; may change.
 */
package io.volumekit.csi.client.internal;
