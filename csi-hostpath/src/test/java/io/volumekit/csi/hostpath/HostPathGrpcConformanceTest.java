package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.testkit.csi.CsiConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite through the real stack: GrpcCsiDriver -> unix socket -> CsiGrpcServer ->
 * HostPathDriver, with bind mounts where permitted, and once more forcing the symlink fallback.
 */
class HostPathGrpcConformanceTest extends CsiConformanceSuite {
  private CsiGrpcServer server;

  @Override

  protected boolean supportsInlineEphemeral() {

    return true;

  }


  @Override
  protected CsiDriver createDriver(Path workDir) throws Exception {
    server = CsiGrpcServer.start(new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1")),
        CsiEndpoint.unix(workDir.resolve("csi.sock")));
    return GrpcCsiDriver.connect(server.endpoint().toString());
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
