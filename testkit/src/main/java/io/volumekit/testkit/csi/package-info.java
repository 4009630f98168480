/**
 * A CSI conformance suite: {@link io.volumekit.testkit.csi.CsiConformanceSuite}, JUnit 5 tests
 * written from the CSI spec's rules that any {@link io.volumekit.core.csi.CsiDriver} can be run
 * against (in-process, or over gRPC through {@code GrpcCsiDriver}).
 */
package io.volumekit.testkit.csi;
