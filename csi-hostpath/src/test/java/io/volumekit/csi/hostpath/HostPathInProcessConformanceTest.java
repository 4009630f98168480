package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.testkit.csi.CsiConformanceSuite;
import java.nio.file.Path;

/** The conformance suite against the hostpath driver called in-process through the CSI port. */
class HostPathInProcessConformanceTest extends CsiConformanceSuite {
  @Override
  protected boolean supportsInlineEphemeral() {
    return true;
  }

  @Override
  protected CsiDriver createDriver(Path workDir) {
    return new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1"));
  }
}
