package io.volumekit.testkit.csi;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The conformance suite against {@link InMemoryCsiDriver}, with and without optional features. */
class InMemoryCsiDriverConformanceTest extends CsiConformanceSuite {

  @Override

  protected boolean supportsInlineEphemeral() {

    return true;

  }


  @Override
  protected CsiDriver createDriver(Path workDir) {
    return new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withMutableParameterKeys(java.util.Set.of("iops")));
  }

  @Override
  protected java.util.Map<String, String> supportedMutableParameters() {
    return java.util.Map.of("iops", "100");
  }

  @Override
  protected boolean publishesOnFilesystem() {
    return false;
  }

  /** A driver without staging and controller publishing (the CSI spec's figure 8 shape). */
  @Nested
  class WithoutStagingAndAttach extends CsiConformanceSuite {
    @Override
    protected boolean supportsInlineEphemeral() {
      return true;
    }

    @Override
    protected CsiDriver createDriver(Path workDir) {
      return new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withStageUnstage(false).withPublishUnpublish(false));
    }

    @Override
    protected boolean publishesOnFilesystem() {
      return false;
    }
  }

  /** A driver with topology. */
  @Nested
  class WithTopology extends CsiConformanceSuite {
    @Override
    protected boolean supportsInlineEphemeral() {
      return true;
    }

    @Override
    protected CsiDriver createDriver(Path workDir) {
      return new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withTopology(true));
    }

    @Override
    protected boolean publishesOnFilesystem() {
      return false;
    }
  }
}
