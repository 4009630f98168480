package io.volumekit.core;

import io.volumekit.core.store.Admission;
import io.volumekit.core.store.VolumeStrategy;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.binding.DefaultStorageClassAdmission;
import io.volumekit.core.protection.ProtectionAdmission;
import io.volumekit.core.expansion.ResizeAdmission;

/** The one place listing the admission hooks the default store runs, in order. */
public final class Admissions {

  private Admissions() {}

  /** Server strategies, default class, in-use protection finalizers, claim resize. */
  public static ImmutableList<Admission> defaults() {
    return ImmutableList.of(new VolumeStrategy(), new DefaultStorageClassAdmission(), new ProtectionAdmission(),
        new ResizeAdmission());
  }
}
