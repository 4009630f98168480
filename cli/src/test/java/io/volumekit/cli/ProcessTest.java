package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volumekit.cli.state.StateDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command run as separate {@code java} processes: exit codes, concurrency on one state, kill -9. */
class ProcessTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("VOLUMEKIT_MOUNT_MODE", "symlink"); // no bind mounts left in temporary directories
    return pb;
  }

  private static Process start(String... args) throws IOException {
    return java(Main.class.getName(), args).start();
  }

  private static Run finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static String configMap(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  k: v\n";
  }

  @Test
  void realProcessAppliesGetsAndExitsWithKubectlCodes() throws Exception {
    String state = tmp.resolve("state").toString();
    Run apply = finish(start("--state", state, "apply", "-f", VerbsTest.manifest("immediate.yaml")));
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).isEqualTo("storageclass.storage.k8s.io/fast created\npersistentvolumeclaim/data created\n");
    assertThat(apply.err()).as("no logging noise on stderr, no SLF4J provider warning").isEmpty();
    Run get = finish(start("get", "pvc", "data", "--state", state));
    assertThat(get.code()).isZero();
    assertThat(get.out()).contains("data   Bound    pvc-");
    assertThat(get.err()).as("no logging noise on stderr").isEmpty();
    Run missing = finish(start("--state", state, "get", "pvc", "nope"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error from server (NotFound): persistentvolumeclaims \"nope\" not found\n");
    Run usage = finish(start("--state", state, "get"));
    assertThat(usage.code()).isEqualTo(2);
  }

  @Test
  void volumekitLogDebugPrintsOneLinePerCsiCallOnStderr() throws Exception {
    String state = tmp.resolve("state").toString();
    ProcessBuilder pb = java(Main.class.getName(), "--state", state, "apply", "-f", VerbsTest.manifest("immediate.yaml"));
    pb.environment().put("VOLUMEKIT_LOG", "debug");
    Run apply = finish(pb.start());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).isEqualTo("storageclass.storage.k8s.io/fast created\npersistentvolumeclaim/data created\n");
    assertThat(apply.err()).containsPattern(
        "\\[DEBUG\\] io\\.volumekit\\.csi\\.calls - /csi\\.v1\\.Controller/CreateVolume driver=\\S+ code=OK took=");
  }

  @Test
  void twoProcessesOnOneStateTakeTurns() throws Exception {
    String state = tmp.resolve("state").toString();
    Path a = write("a.yaml", configMap("a"));
    Path b = write("b.yaml", configMap("b"));
    Process first;
    Process second;
    // Hold the state while both start, so that they really contend for it.
    try (StateDirectory held = StateDirectory.open(Path.of(state), Duration.ZERO)) {
      first = start("--state", state, "apply", "-f", a.toString());
      second = start("--state", state, "apply", "-f", b.toString());
    }
    Run r1 = finish(first);
    Run r2 = finish(second);
    assertThat(r1.code()).as(r1.err()).isZero();
    assertThat(r2.code()).as(r2.err()).isZero();
    assertThat(r1.out()).isEqualTo("configmap/a created\n");
    assertThat(r2.out()).isEqualTo("configmap/b created\n");
    Run both = finish(start("--state", state, "get", "cm", "-o", "name"));
    assertThat(both.out()).isEqualTo("configmap/a\nconfigmap/b\n");
  }

  @Test
  void aProcessThatCannotGetTheStateRefusesClearly() throws Exception {
    Path state = tmp.resolve("state");
    try (StateDirectory held = StateDirectory.open(state, Duration.ZERO)) {
      Run r = finish(start("--state", state.toString(), "--lock-timeout", "0", "get", "pvc"));
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: the state in " + state + " is in use by another volumekit process (pid "
          + ProcessHandle.current().pid() + "); waited 0s");
    }
  }

  @Test
  void killDashNineWhileApplyingLeavesAReadableState() throws Exception {
    String state = tmp.resolve("state").toString();
    Process loop = java(ApplyLoopMain.class.getName(), state).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long acknowledged = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(loop.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 8; i++) {
        String line = out.readLine();
        assertThat(line).as("loop output").isNotNull().startsWith("applied ");
        acknowledged = Long.parseLong(line.substring("applied ".length()));
      }
      loop.destroyForcibly(); // SIGKILL in the middle of some invocation
      assertThat(loop.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    Run get = finish(start("--state", state, "get", "cm", "counter", "-o", "json"));
    assertThat(get.code()).as(get.err()).isZero();
    JsonNode cm = new ObjectMapper().readTree(get.out());
    long n = Long.parseLong(cm.path("data").path("n").asText());
    assertThat(n).as("an apply acknowledged before the kill is never lost").isGreaterThanOrEqualTo(acknowledged);
    Run next = finish(start("--state", state, "apply", "-f", write("c.yaml", configMap("after")).toString()));
    assertThat(next.code()).as(next.err()).isZero();
  }
}
