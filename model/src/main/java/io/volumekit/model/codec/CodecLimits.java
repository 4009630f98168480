package io.volumekit.model.codec;

/**
 * Bounds the codec enforces on untrusted input, so that any input is refused in bounded time
 * and memory: total size, nesting depth, YAML aliases and the number of values after alias
 * expansion.
 *
 * <p>The defaults are generous for real manifests (the API server refuses requests above 3 MiB
 * and etcd objects above 1.5 MiB) and small enough to refuse a 100 MB document or a "billion
 * laughs" alias bomb at once.
 */
public record CodecLimits(int maxBytes, int maxDepth, int maxAliases, int maxValues) {

  /** 8 MiB, depth 100, 50 aliases, 1,000,000 values. */
  public static final CodecLimits DEFAULT = new CodecLimits(8 * 1024 * 1024, 100, 50, 1_000_000);

  public CodecLimits {
    if (maxBytes <= 0 || maxDepth <= 0 || maxAliases < 0 || maxValues <= 0) {
      throw new IllegalArgumentException("codec limits must be positive");
    }
  }
}
