/**
 * Reading and writing manifests: {@link io.volumekit.model.codec.ObjectCodec} turns multi-document
 * YAML or JSON into typed objects (with unknown-field warnings, bounded by
 * {@link io.volumekit.model.codec.CodecLimits}) and objects back into YAML or JSON.
 */
package io.volumekit.model.codec;
