package io.volumekit.core.csi;

/** NodeExpandVolume's answer: the capacity after expansion (0: unknown). */
public record NodeExpandVolumeResponse(long capacityBytes) {}
