/**
 * The CSI port: the Container Storage Interface (csi.v1) as plain Java values and one synchronous
 * interface, {@link io.volumekit.core.csi.CsiDriver}.
 *
 * <p>Core never sees protobuf or gRPC. The records here mirror the csi.v1 messages field by field
 * (same names, Java casing) so that an adapter (module {@code csi-client}) can translate them
 * one-to-one, and an in-process driver ({@code InMemoryCsiDriver}, or the
 * hostpath driver) can be called directly.
 *
 * <p>Conventions, matching proto3 semantics: strings are never null, the empty string means
 * "not set"; maps and lists are never null, empty means "not set"; message-typed fields that may
 * be absent are {@link java.util.Optional}. Request records do not enforce the CSI REQUIRED
 * fields: a driver does, answering {@link io.volumekit.core.csi.CsiCode#INVALID_ARGUMENT}, as
 * the spec requires. Secrets travel as {@link io.volumekit.core.csi.Secrets}, whose {@code
 * toString} never shows values.
 *
 * <p>Errors are {@link io.volumekit.core.csi.CsiException} carrying a {@link
 * io.volumekit.core.csi.CsiCode} (the gRPC status code); the code says whether the operation may
 * still be in progress in the driver and whether retrying can help (see {@link io.volumekit.core.csi.CsiCode}).
 */
package io.volumekit.core.csi;
