package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.csi.client.GrpcCsiDriver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver as a real plugin process ({@link HostPathMain}): killed with SIGKILL (stale socket
 * left behind) and started again on the same data directory, it serves the same volumes, and the
 * client that stayed connected carries on.
 */
class HostPathProcessTest {
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path tmp;

  private Process start(Path socket) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), HostPathMain.class.getName(),
        "--endpoint", "unix://" + socket, "--nodeid", "node-1", "--data-dir", tmp.resolve("data").toString(),
        "--mount-mode", "symlink");
    File log = tmp.resolve("driver.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndExitsZero() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HostPathMain.class.getName(),
        "--help").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).startsWith("usage:").contains("--endpoint", "--nodeid", "--data-dir", "--mount-mode");
  }

  @Test
  void aKilledDriverProcessRestartsWithItsVolumesAndTheClientCarriesOn() throws Exception {
    Path socket = tmp.resolve("csi.sock");
    Process first = start(socket);
    Process second = null;
    try (GrpcCsiDriver client = GrpcCsiDriver.builder("unix://" + socket).callTimeout(Duration.ofSeconds(60)).build()) {
      client.awaitReady(Duration.ofSeconds(60));
      Volume v = client.createVolume(CreateVolumeRequest.of("pvc-process", 1 << 20, RWO)).volume();
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(socket).exists(); // SIGKILL leaves the socket file behind

      second = start(socket);
      // waits for the new process (its deadline covers the JVM start)
      assertThat(client.createVolume(CreateVolumeRequest.of("pvc-process", 1 << 20, RWO)).volume()).isEqualTo(v);
      assertThat(client.listVolumes(ListVolumesRequest.firstPage(0)).entries()).hasSize(1);
      assertThat(client.info().name()).isEqualTo(HostPathDriver.DRIVER_NAME);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroy(); // SIGTERM: the shutdown hook removes the socket
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(socket).doesNotExist();
  }
}
