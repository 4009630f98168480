package io.volumekit.core.migration;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.meta.ObjectMeta;
import java.util.Optional;

/** Small helpers the plugin translators share. */
final class Plugins {

  private Plugins() {}

  /**
   * The PV standing for an inline volume: named {@code name}, with the CSI source, one access
   * mode, and volume mode Filesystem (translate.go defaults it for inline volumes).
   */
  static PersistentVolume inlinePv(String name, CSIPersistentVolumeSource csi, String accessMode) {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .spec(PersistentVolumeSpecBuilder.builder()
            .csi(Optional.of(csi))
            .accessModes(ImmutableList.of(accessMode))
            .volumeMode(Optional.of(VolumeModes.FILESYSTEM))
            .build())
        .build();
  }

  /** The CSI source of the PV if it is this driver's; else a {@link TranslationException}. */
  static CSIPersistentVolumeSource csiOf(PersistentVolume pv, String driver) {
    CSIPersistentVolumeSource csi = pv.csi().orElseThrow(
        () -> new TranslationException("spec.csi", "pv is nil or CSI source not defined on pv"));
    if (!csi.driver().equals(driver)) {
      throw new TranslationException("spec.csi.driver", "driver \"" + csi.driver() + "\" is not " + driver);
    }
    return csi;
  }

  /** A CSI source with the driver, handle, read-only flag, fsType and attributes. */
  static CSIPersistentVolumeSource csi(String driver, String handle, Optional<Boolean> readOnly, Optional<String> fsType,
      ImmutableMap<String, String> attributes) {
    return new CSIPersistentVolumeSource(driver, handle, readOnly, fsType, attributes,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A partition number in the {@code partition} attribute; {@code ""} and {@code "0"} mean none. */
  static Optional<Integer> partition(CSIPersistentVolumeSource csi) {
    String p = csi.volumeAttributes().getOrDefault("partition", "");
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(p);
      return n == 0 ? Optional.empty() : Optional.of(n);
    } catch (NumberFormatException e) {
      throw new TranslationException("spec.csi.volumeAttributes[partition]",
          "failed to convert partition " + p + " to integer");
    }
  }
}
