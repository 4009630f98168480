package io.volumekit.core.effect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The string shortcuts of {@link HostPaths} answer as {@link Path} does, for any path string made
 * of separators, names, dots, spaces, backslashes and NULs (doubled and trailing separators
 * included).
 */
class HostPathsTest {

  private static final char[] ALPHABET = {'/', '/', '/', 'a', 'b', '.', ' ', '\\', '\0'};

  private static String path(List<Integer> chars) {
    StringBuilder b = new StringBuilder();
    for (int c : chars) {
      b.append(ALPHABET[c]);
    }
    return b.toString();
  }

  private static boolean referenceOnThisHost(String path) {
    try {
      return !path.isEmpty() && Path.of(path).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static String referenceParentOf(String path) {
    Path parent = Path.of(path).getParent();
    return parent == null ? "" : parent.toString();
  }

  @Test
  void answersAsPathDoes() {
    qt().withFixedSeed(20261207L).withExamples(20_000)
        .forAll(lists().of(integers().between(0, ALPHABET.length - 1)).ofSizeBetween(0, 12))
        .checkAssert(chars -> {
          String p = path(chars);
          assertThat(HostPaths.onThisHost(p)).as("onThisHost(%s)", p).isEqualTo(referenceOnThisHost(p));
          String expected;
          try {
            expected = referenceParentOf(p);
          } catch (InvalidPathException e) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostPaths.parentOf(p))
                .isInstanceOf(InvalidPathException.class);
            return;
          }
          assertThat(HostPaths.parentOf(p)).as("parentOf(%s)", p).isEqualTo(expected);
        });
  }

  @Test
  void kubeletPaths() {
    String target = "/var/lib/kubelet/pods/0b9e/volumes/kubernetes.io~csi/pvc-1/mount";
    assertThat(HostPaths.parentOf(target)).isEqualTo("/var/lib/kubelet/pods/0b9e/volumes/kubernetes.io~csi/pvc-1");
    assertThat(HostPaths.parentOf("/a")).isEqualTo("/");
    assertThat(HostPaths.parentOf("/")).isEmpty();
    assertThat(HostPaths.onThisHost("c:\\var\\lib\\kubelet")).isFalse();
  }
}
