package io.volumekit.csi.client;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.testkit.csi.CsiConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite through the whole gRPC stack: GrpcCsiDriver -> unix socket ->
 * CsiGrpcServer -> InMemoryCsiDriver. It must behave exactly like the in-process driver.
 */
class GrpcInMemoryConformanceTest extends CsiConformanceSuite {
  private CsiGrpcServer server;

  @Override

  protected boolean supportsInlineEphemeral() {

    return true;

  }


  @Override
  protected CsiDriver createDriver(Path workDir) throws Exception {
    server = CsiGrpcServer.start(new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withMutableParameterKeys(java.util.Set.of("iops"))), CsiEndpoint.unix(workDir.resolve("csi.sock")));
    return GrpcCsiDriver.connect(server.endpoint().toString());
  }

  @Override
  protected void closeDriver(CsiDriver driver) throws Exception {
    ((GrpcCsiDriver) driver).close();
    server.close();
  }

  @Override
  protected java.util.Map<String, String> supportedMutableParameters() {
    return java.util.Map.of("iops", "100");
  }

  @Override
  protected boolean publishesOnFilesystem() {
    return false;
  }

  /** Without staging and controller publishing. */
  @Nested
  class WithoutStagingAndAttach extends CsiConformanceSuite {
    private CsiGrpcServer plainServer;

    @Override

    protected boolean supportsInlineEphemeral() {

      return true;

    }


    @Override
    protected CsiDriver createDriver(Path workDir) throws Exception {
      plainServer = CsiGrpcServer.start(new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()
          .withStageUnstage(false).withPublishUnpublish(false)), CsiEndpoint.unix(workDir.resolve("csi.sock")));
      return GrpcCsiDriver.connect(plainServer.endpoint().toString());
    }

    @Override
    protected void closeDriver(CsiDriver driver) {
      ((GrpcCsiDriver) driver).close();
      plainServer.close();
    }

    @Override
    protected boolean publishesOnFilesystem() {
      return false;
    }
  }
}
