package io.volumekit.core.populator;

import io.volumekit.model.populator.SourceKind;
import java.io.IOException;
import java.util.Locale;

/**
 * A volume populator an embedder plugs into the engine: it fills new volumes from data sources of
 * one group and kind ({@code dataSourceRef: {apiGroup: hello.example.com, kind: Hello, name: ...}}).
 * The engine's {@link PopulatorController} drives it as kubernetes-csi/lib-volume-populator drives
 * a populator: it provisions a "prime" claim {@code prime-<claim uid>} in {@link #namespace()},
 * mounts it in a populator pod {@code populate-<claim uid>}, calls {@link #populate} with the
 * mounted volume, and then hands the volume to the user's claim.
 *
 * <p>Register one with {@code VolumeKit.builder().populator(populator)}; the engine also creates
 * the {@code VolumePopulator} object {@link #name()} for its kind, so the data source validator
 * knows the kind. The methods other than {@link #populate} are configuration, read once when the
 * engine is built.
 */
public interface Populator {

  /** The group and kind of the data sources this populator fills volumes from. */
  SourceKind sourceKind();

  /**
   * Fills the volume. Called on an engine thread once the prime claim's volume is mounted in the
   * populator pod; returning normally means the data is complete. A failure is reported on the
   * user's claim (Warning {@code PopulatorFailed}) and the call is repeated after the engine's
   * backoff, so it must be safe to call again on a partly filled volume.
   *
   * @throws PopulateException the data cannot be written now (e.g. the data source does not exist)
   * @throws IOException writing the volume failed
   */
  void populate(PopulateRequest request) throws PopulateException, IOException;

  /** The name of the {@code VolumePopulator} object registered for the kind (default {@code <kind>-populator}, lower case). */
  default String name() {
    return sourceKind().kind().toLowerCase(Locale.ROOT) + "-populator";
  }

  /**
   * lib-volume-populator's {@code prefix}: the populator's annotation {@code <prefix>/populated-from},
   * finalizer {@code <prefix>/populate-target-protection} and event source {@code <prefix>-populator}
   * (default: the source kind's group).
   */
  default String prefix() {
    return sourceKind().group();
  }

  /** The namespace of the prime claims and populator pods (lib-volume-populator's {@code namespace}). */
  default String namespace() {
    return "volumekit-populators";
  }

  /** The populator pod's container image (shown on the pod; volumekit runs no container). */
  default String image() {
    return "volumekit.io/populator/" + name();
  }

  /** Where the populator pod's container mounts a Filesystem volume. */
  default String mountPath() {
    return "/mnt";
  }

  /** Where the populator pod's container maps a Block volume. */
  default String devicePath() {
    return "/dev/block";
  }
}
