package io.volumekit.core.csi;

/**
 * Probe's answer. {@code ready} false means the plugin is still initialising; an unset {@code
 * ready} on the wire means ready. An unhealthy plugin fails Probe with FAILED_PRECONDITION
 * instead (CSI spec, Probe).
 */
public record ProbeResponse(boolean ready) {
  /** A ready plugin. */
  public static ProbeResponse isReady() {
    return new ProbeResponse(true);
  }
}
