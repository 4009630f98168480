package io.volumekit.cli.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.cli.error.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

  @TempDir Path tmp;

  @Test
  void resolvesOptionThenEnvironmentThenWorkingDirectory() {
    assertThat(StateDirectory.resolve(Optional.of(tmp.resolve("a")), Map.of("VOLUMEKIT_HOME", "/x")))
        .isEqualTo(tmp.resolve("a"));
    assertThat(StateDirectory.resolve(Optional.empty(), Map.of("VOLUMEKIT_HOME", "/x"))).isEqualTo(Path.of("/x"));
    assertThat(StateDirectory.resolve(Optional.empty(), Map.of()))
        .isEqualTo(Path.of(".volumekit").toAbsolutePath().normalize());
  }

  @Test
  void writeReplacesContentAndLeavesNoTemporaryFiles() throws IOException {
    try (StateDirectory dir = StateDirectory.open(tmp.resolve("s"), Duration.ZERO)) {
      assertThat(dir.read("f")).isEmpty();
      dir.write("f", "one".getBytes(StandardCharsets.UTF_8));
      dir.write("f", "two".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(dir.read("f").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("two");
    }
    try (var files = Files.list(tmp.resolve("s"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("f", "lock");
    }
  }

  @Test
  void staleTemporaryFilesOfACrashedWriterAreRemovedOnOpen() throws IOException {
    Files.createDirectories(tmp.resolve("s"));
    Files.writeString(tmp.resolve("s/.tmp-objects.json-123"), "{half");
    try (StateDirectory dir = StateDirectory.open(tmp.resolve("s"), Duration.ZERO)) {
      assertThat(Files.exists(dir.path().resolve(".tmp-objects.json-123"))).isFalse();
    }
  }

  @Test
  void aSecondOpenInTheSameProcessWaitsThenRefuses() {
    try (StateDirectory first = StateDirectory.open(tmp.resolve("s"), Duration.ZERO)) {
      assertThatThrownBy(() -> StateDirectory.open(tmp.resolve("s"), Duration.ofMillis(50)))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("is in use by another volumekit process");
    }
    StateDirectory.open(tmp.resolve("s"), Duration.ZERO).close(); // released
  }

  @Test
  void savedObjectsReadBack() {
    try (StateDirectory dir = StateDirectory.open(tmp.resolve("s"), Duration.ZERO)) {
      assertThat(ObjectFile.load(dir)).isEmpty();
      ObjectFile.save(dir, 7, StateWriterMain.version(7), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(7));
      ObjectFile.Saved saved = ObjectFile.load(dir).orElseThrow();
      assertThat(saved.resourceVersion()).isEqualTo(7);
      assertThat(saved.objects()).hasSize(200);
      assertThat(saved.operations().toString()).isEqualTo("[7]");
    }
  }

  private static Process spawnWriter(Path state) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        StateWriterMain.class.getName(), state.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** Reads the writer's acknowledgements until it has completed {@code count} saves; returns the last. */
  private static long awaitWrites(BufferedReader out, int count) throws IOException {
    long last = 0;
    for (int i = 0; i < count; i++) {
      String line = out.readLine();
      assertThat(line).as("writer output").isNotNull().startsWith("wrote ");
      last = Long.parseLong(line.substring("wrote ".length()));
    }
    return last;
  }

  @Test
  void killDashNineDuringWritesLeavesTheLastCompleteVersion() throws Exception {
    Path state = tmp.resolve("crash");
    for (int round = 0; round < 3; round++) {
      Process writer = spawnWriter(state);
      long acknowledged;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        acknowledged = awaitWrites(out, 5 + round * 7);
        writer.destroyForcibly(); // SIGKILL, most likely in the middle of a save
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      try (StateDirectory dir = StateDirectory.open(state, Duration.ofSeconds(10))) {
        ObjectFile.Saved saved = ObjectFile.load(dir).orElseThrow();
        long version = saved.resourceVersion();
        assertThat(version).as("a save acknowledged before the kill is never lost").isGreaterThanOrEqualTo(acknowledged);
        assertThat(saved.objects()).hasSize(200)
            .allSatisfy(o -> assertThat(o.path("data").path("version").asText()).isEqualTo(Long.toString(version)));
        assertThat(saved.operations().toString()).as("objects and operations are saved together").isEqualTo("[" + version + "]");
        try (var files = Files.list(state)) {
          assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("objects.json", "lock");
        }
      }
    }
  }

  @Test
  void anotherProcessHoldingTheStateIsReportedWithItsPid() throws Exception {
    Path state = tmp.resolve("busy");
    Process writer = spawnWriter(state);
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      awaitWrites(out, 1);
      assertThatThrownBy(() -> StateDirectory.open(state, Duration.ofMillis(200)))
          .isInstanceOf(CliException.class)
          .satisfies(e -> assertThat(((CliException) e).lines()).singleElement().asString()
              .startsWith("error: the state in " + state + " is in use by another volumekit process (pid " + writer.pid() + ")"));
    } finally {
      writer.destroyForcibly();
      writer.waitFor(30, TimeUnit.SECONDS);
    }
    StateDirectory.open(state, Duration.ofSeconds(10)).close(); // the dead process's lock is gone
    assertThat(List.of(state.resolve("lock"))).allMatch(Files::exists);
  }
}
