package io.volumekit.model.validation;

import io.volumekit.model.populator.VolumePopulator;

/**
 * populator.storage.k8s.io kinds. VolumePopulator is a CRD whose schema requires {@code
 * sourceKind.kind} (the group may be empty: the core group).
 */
final class PopulatorRules {
  private PopulatorRules() {}

  static void volumePopulator(Errs errs, VolumePopulator p) {
    if (p.sourceKind().kind().isEmpty()) {
      errs.required(FieldPath.of("sourceKind", "kind"));
    }
  }
}
