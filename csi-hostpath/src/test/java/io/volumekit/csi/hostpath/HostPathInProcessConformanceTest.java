package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.testkit.csi.CsiConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The conformance suite against the hostpath driver called in-process through the CSI port. */
class HostPathInProcessConformanceTest extends CsiConformanceSuite {
  private Path workDir;

  /**
   * No bind mount (stage or publish) outlives a test, whether it passed or failed. The driver's
   * directory is inside the suite's temporary directory, which holds the staging and target paths.
   */
  @AfterEach
  void unmountEverything() throws Exception {
    if (workDir != null) {
      Mounts.unmountAllUnder(workDir.getParent());
    }
  }

  @Override
  protected boolean supportsInlineEphemeral() {
    return true;
  }

  @Override
  protected CsiDriver createDriver(Path workDir) {
    this.workDir = workDir;
    return new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1")
        .withMutableParameterKeys(java.util.Set.of("iops")));
  }

  @Override
  protected java.util.Map<String, String> supportedMutableParameters() {
    return java.util.Map.of("iops", "100");
  }
}
