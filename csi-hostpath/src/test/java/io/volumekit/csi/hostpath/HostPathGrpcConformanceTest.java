package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.testkit.csi.CsiConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite through the real stack: GrpcCsiDriver -> unix socket -> CsiGrpcServer ->
 * HostPathDriver, with bind mounts where permitted, and once more forcing the symlink fallback.
 */
class HostPathGrpcConformanceTest extends CsiConformanceSuite {
  private CsiGrpcServer server;
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
  protected CsiDriver createDriver(Path workDir) throws Exception {
    this.workDir = workDir;
    server = CsiGrpcServer.start(new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1")
        .withMutableParameterKeys(java.util.Set.of("iops"))),
        CsiEndpoint.unix(workDir.resolve("csi.sock")));
    return GrpcCsiDriver.connect(server.endpoint().toString());
  }

  @Override
  protected java.util.Map<String, String> supportedMutableParameters() {
    return java.util.Map.of("iops", "100");
  }

  @Override
  protected void closeDriver(CsiDriver driver) {
    ((GrpcCsiDriver) driver).close();
    server.close();
  }

  /** The same, publishing by symlink. */
  @Nested
  class WithSymlinks extends CsiConformanceSuite {
    private CsiGrpcServer symlinkServer;

    @Override

    protected boolean supportsInlineEphemeral() {

      return true;

    }


    @Override
    protected CsiDriver createDriver(Path workDir) throws Exception {
      symlinkServer = CsiGrpcServer.start(new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1")
          .withMountMode(HostPathConfig.MountMode.SYMLINK)), CsiEndpoint.unix(workDir.resolve("csi.sock")));
      return GrpcCsiDriver.connect(symlinkServer.endpoint().toString());
    }

    @Override
    protected void closeDriver(CsiDriver driver) {
      ((GrpcCsiDriver) driver).close();
      symlinkServer.close();
    }
  }
}
