package io.volumekit.core.csi;

/** ControllerModifyVolume's answer: empty; success means every mutable parameter was applied. */
public record ControllerModifyVolumeResponse() {}
