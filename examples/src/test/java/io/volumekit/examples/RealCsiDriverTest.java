package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealCsiDriverTest {

  @TempDir
  Path work;

  @Test
  void provisionsMountsWritesThroughThePodAndDeletesOverAUnixSocket() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RealCsiDriver.Outcome outcome = RealCsiDriver.run(new PrintStream(printed, true, StandardCharsets.UTF_8), work);

    System.out.print(printed.toString(StandardCharsets.UTF_8)); // kept in the surefire report
    assertThat(outcome.volumeHandle()).startsWith("vol-");
    assertThat(outcome.mountedAt().toString()).startsWith(work.resolve("kubelet").toString());
    assertThat(outcome.writtenInVolume()).isEqualTo("hello from the pod\n");
    assertThat(outcome.publishMode()).isIn("bind", "symlink");
    assertThat(outcome.volumeDeleted()).isTrue();
    // Torn down: the pod's mount point and the socket are gone, nothing is left mounted under the work dir.
    assertThat(Files.exists(outcome.mountedAt(), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(work.resolve("csi.sock")).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(work.toString());
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("driver hostpath.csi.volumekit.io serving at unix://" + work.resolve("csi.sock"))
        .contains("claim notes Bound to pvc-")
        .contains("pod writer Running, /notes is " + outcome.mountedAt())
        .contains("volume " + outcome.volumeHandle() + " deleted by the driver");
  }
}
