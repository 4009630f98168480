package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.populator.PopulateException;
import io.volumekit.core.populator.PopulateRequest;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedObjectReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelloPopulatorTest {

  @TempDir
  Path work;

  @Test
  void theClaimsVolumeHoldsTheHelloFileWhenThePodMountsIt() throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    HelloPopulator.Outcome outcome = HelloPopulator.run(new PrintStream(printed, true, StandardCharsets.UTF_8), work);
    System.out.print(printed.toString(StandardCharsets.UTF_8));

    assertThat(outcome.readThroughPod()).isEqualTo("Hello, world!\n");
    assertThat(outcome.populatedFrom()).isEqualTo("default/greeting");
    assertThat(outcome.events()).contains("PopulatorCreated: Populator started", "PopulatorFinished: Populator finished");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("claim greeted Bound to " + outcome.volume() + ", populated from default/greeting")
        .contains("pod reader Running, /data/hello.txt: Hello, world!");
  }

  static PopulateRequest request(String name, Path mount) {
    return new PopulateRequest(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "c"), "uid-1",
        ObjectKey.namespaced(PersistentVolumeClaim.KIND, "hello", "prime-uid-1"),
        new TypedObjectReference(Optional.of(HelloPopulator.GROUP), HelloPopulator.KIND, name, Optional.empty()),
        "default", "pvc-1", "hostpath.csi.volumekit.io", "vol-1", false, Optional.of(mount));
  }

  @Test
  void anUndefinedHelloOrAFileNameWithADirectoryIsRefusedAndNothingIsWritten() throws IOException {
    HelloPopulator hello = new HelloPopulator().define("default", "escape", new HelloPopulator.Hello("../x.txt", "no"));
    Path mount = Files.createDirectories(work.resolve("mnt"));
    assertThatThrownBy(() -> hello.populate(request("missing", mount)))
        .isInstanceOf(PopulateException.class).hasMessage("Hello.hello.example.com \"default/missing\" not found");
    assertThatThrownBy(() -> hello.populate(request("escape", mount)))
        .isInstanceOf(PopulateException.class)
        .hasMessage("spec.fileName: Invalid value: \"../x.txt\": must be a file name");
    assertThat(work.resolve("x.txt")).doesNotExist();
    try (var files = Files.list(mount)) {
      assertThat(files.toList()).isEmpty();
    }
  }
}
