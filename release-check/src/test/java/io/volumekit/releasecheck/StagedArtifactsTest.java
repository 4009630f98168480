package io.volumekit.releasecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks what {@code mvn deploy} staged in {@code target/staging-repo}: every published module has
 * its jar, sources jar, javadoc jar and a POM carrying what Maven Central requires (name,
 * description, url, licenses, developers, scm; inherited from the parent POM counts), and the BOM
 * names every published artifact at the project's version.
 *
 * <p>"Published" is read from the build itself: every module of the top-level POM that does not set
 * {@code maven.deploy.skip}. A module added later is therefore checked without editing this test.
 * Under plain {@code mvn verify} nothing is staged and the checks are skipped, except on CI
 * ({@code CI=true}), whose test command deploys: there a missing staging repository fails.
 */
class StagedArtifactsTest {

  private static final String GROUP_PATH = "io/volumekit";
  private static Path root;
  private static Path staging;
  private static String version;

  @BeforeAll
  static void locate() {
    root = Path.of(System.getProperty("volumekit.root", "..")).toAbsolutePath().normalize();
    version = System.getProperty("volumekit.version", "");
    staging = root.resolve("target/staging-repo");
    boolean staged = Files.isDirectory(staging.resolve(GROUP_PATH));
    if (!staged && "true".equals(System.getenv("CI"))) {
      fail("CI runs `mvn -B deploy`, which stages every published artifact in " + staging
          + ", but nothing is there");
    }
    Assumptions.assumeTrue(staged, "nothing staged (run `mvn deploy` to check the artifacts)");
  }

  @Test
  void everyPublishedModuleHasJarSourcesJavadocAndPom() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String artifactId : publishedJarModules()) {
      Path dir = staging.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
      String base = artifactId + "-" + latestBuild(dir, artifactId);
      for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
        Path file = dir.resolve(base + suffix);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
          problems.add(artifactId + ": missing " + file.getFileName());
        }
      }
      Path javadoc = dir.resolve(base + "-javadoc.jar");
      if (Files.isRegularFile(javadoc)) {
        try (ZipFile zip = new ZipFile(javadoc.toFile())) {
          if (zip.getEntry("index.html") == null) {
            problems.add(artifactId + ": javadoc jar has no index.html");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyStagedPomCarriesTheMetadataMavenCentralRequires() throws Exception {
    List<String> problems = new ArrayList<>();
    List<String> artifacts = new ArrayList<>(publishedJarModules());
    artifacts.add("volumekit-parent");
    artifacts.add("volumekit-bom");
    for (String artifactId : artifacts) {
      Document pom = stagedPom(artifactId);
      for (String field : List.of("name", "description", "url", "licenses", "developers", "scm")) {
        if (inherited(pom, field).isEmpty()) {
          problems.add(artifactId + ": no <" + field + "> (nor in its parent)");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theBomNamesEveryPublishedArtifactAtTheProjectVersion() throws Exception {
    Document bom = stagedPom("volumekit-bom");
    assertThat(text(bom.getDocumentElement(), "version")).contains(version);
    Map<String, String> managed = new LinkedHashMap<>();
    Element management = child(bom.getDocumentElement(), "dependencyManagement").orElseThrow();
    Element dependencies = child(management, "dependencies").orElseThrow();
    for (Element dependency : children(dependencies, "dependency")) {
      String v = text(dependency, "version").orElse("");
      managed.put(text(dependency, "artifactId").orElse(""),
          v.equals("${project.version}") ? version : v);
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (String artifactId : publishedJarModules()) {
      expected.put(artifactId, version);
    }
    assertThat(managed).isEqualTo(expected);
  }

  /** The artifactIds of the top-level POM's jar modules that are deployed. */
  private static List<String> publishedJarModules() throws Exception {
    List<String> published = new ArrayList<>();
    Element modules = child(parse(root.resolve("pom.xml")).getDocumentElement(), "modules")
        .orElseThrow();
    for (Element module : children(modules, "module")) {
      Document pom = parse(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      Element project = pom.getDocumentElement();
      boolean skipped = child(project, "properties")
          .flatMap(p -> text(p, "maven.deploy.skip"))
          .map("true"::equals)
          .orElse(false);
      boolean pomOnly = text(project, "packaging").map("pom"::equals).orElse(false);
      if (!skipped && !pomOnly) {
        published.add(text(project, "artifactId").orElseThrow());
      }
    }
    return published;
  }

  /** The file name stem of the newest snapshot build in {@code dir} (or the release version). */
  private static String latestBuild(Path dir, String artifactId) throws Exception {
    Path metadata = dir.resolve("maven-metadata.xml");
    if (!version.endsWith("-SNAPSHOT") || !Files.isRegularFile(metadata)) {
      return version;
    }
    Element snapshot = child(child(parse(metadata).getDocumentElement(), "versioning").orElseThrow(),
        "snapshot").orElseThrow();
    String timestamp = text(snapshot, "timestamp").orElseThrow();
    String build = text(snapshot, "buildNumber").orElseThrow();
    return version.replace("SNAPSHOT", timestamp + "-" + build);
  }

  private static Document stagedPom(String artifactId) throws Exception {
    Path dir = staging.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
    Path pom = dir.resolve(artifactId + "-" + latestBuild(dir, artifactId) + ".pom");
    if (!Files.isRegularFile(pom)) {
      throw new AssertionError(artifactId + ": no staged POM at " + pom);
    }
    return parse(pom);
  }

  /** The field from the POM, else from its parent's staged POM (as Maven's inheritance would). */
  private static Optional<Element> inherited(Document pom, String field) throws Exception {
    Optional<Element> own = child(pom.getDocumentElement(), field);
    if (own.isPresent()) {
      return own;
    }
    Optional<Element> parent = child(pom.getDocumentElement(), "parent");
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    String parentId = text(parent.get(), "artifactId").orElseThrow();
    return inherited(stagedPom(parentId), field);
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try {
      return factory.newDocumentBuilder().parse(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static Optional<Element> child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static Optional<String> text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().trim()).filter(s -> !s.isEmpty());
  }
}
