package io.volumekit.csi.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GroupControllerCapability;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GroupController service over a real unix socket: served and discovered when the driver
 * advertises GROUP_CONTROLLER_SERVICE, absent (UNIMPLEMENTED) when it does not.
 */
class GroupControllerOverGrpcTest {
  @TempDir
  Path dir;

  /** The in-memory driver without the GroupController service. */
  private static final class WithoutGroupController extends ForwardingCsiDriver {
    WithoutGroupController() {
      super(new InMemoryCsiDriver());
    }

    @Override
    public GetPluginCapabilitiesResponse getPluginCapabilities() {
      return new GetPluginCapabilitiesResponse(ImmutableSet.copyOf(delegate().getPluginCapabilities().capabilities()
          .stream().filter(c -> c != PluginCapability.GROUP_CONTROLLER_SERVICE).toList()));
    }
  }

  /** Advertises the service but its capability RPC answers UNIMPLEMENTED (a driver not serving it). */
  private static final class AdvertisesButDoesNotServe extends ForwardingCsiDriver {
    AdvertisesButDoesNotServe() {
      super(new InMemoryCsiDriver());
    }

    @Override
    public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
      throw CsiException.unimplemented("GroupControllerGetCapabilities");
    }
  }

  private DriverInfo infoOf(CsiDriver driver, String socket) throws Exception {
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(dir.resolve(socket)));
        GrpcCsiDriver client = GrpcCsiDriver.connect(server.endpoint().toString())) {
      return client.info();
    }
  }

  @Test
  void anAdvertisedGroupControllerIsServedAndDiscovered() throws Exception {
    DriverInfo info = infoOf(new InMemoryCsiDriver(), "a.sock");
    assertThat(info.pluginCapabilities().has(PluginCapability.GROUP_CONTROLLER_SERVICE)).isTrue();
    assertThat(info.groupControllerCapabilities().has(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT))
        .isTrue();
  }

  @Test
  void withoutTheCapabilityTheServiceIsNotServedNorAsked() throws Exception {
    CsiDriver driver = new WithoutGroupController();
    assertThat(infoOf(driver, "b.sock").groupControllerCapabilities().capabilities()).isEmpty();
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(dir.resolve("c.sock")));
        GrpcCsiDriver client = GrpcCsiDriver.connect(server.endpoint().toString())) {
      CsiException e = catchThrowableOfType(CsiException.class, client::groupControllerGetCapabilities);
      assertThat(e.code()).isEqualTo(CsiCode.UNIMPLEMENTED);
    }
  }

  @Test
  void anAdvertisedServiceAnsweringUnimplementedHasNoCapabilities() throws Exception {
    assertThat(infoOf(new AdvertisesButDoesNotServe(), "d.sock").groupControllerCapabilities().capabilities())
        .isEmpty();
  }
}
