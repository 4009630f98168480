package io.volumekit.testkit.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volumekit.core.node.ImagePullException;
import io.volumekit.core.node.ImagePullPolicy;
import io.volumekit.core.node.ImageVolumePuller;
import io.volumekit.core.node.ImageVolumeRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * An {@link ImageVolumePuller} that takes images from local OCI image layouts, for tests and
 * offline use: the image {@code <repository>[:<tag>|@sha256:<hex>]} is the layout directory {@code
 * <root>/<repository>/} (with {@code oci-layout}, {@code index.json} and {@code blobs/sha256/}), the
 * tag (default {@code latest}) the manifest whose {@code org.opencontainers.image.ref.name}
 * annotation names it, a digest the manifest with that digest.
 *
 * <p>Pulling verifies every blob's sha256 digest (and size) and applies the manifest's layers ({@code
 * application/vnd.oci.image.layer.v1.tar}, {@code +gzip}, and Docker's {@code tar.gzip}) in order,
 * as a container runtime unpacks an image: a {@code .wh.<name>} entry removes {@code <name>} of the
 * layers below, {@code .wh..wh..opq} empties its directory of them. An entry whose path leaves the
 * target ({@code ..}, absolute) or goes through a symbolic link is refused; symbolic links are
 * created as they are, never followed. Device and FIFO entries are skipped (an unprivileged process
 * cannot make them).
 *
 * <p>The puller stands for one node's image store: a reference it has pulled once is "present", so
 * pull policy {@code Never} succeeds for it (and for the references given to {@link
 * #withPresent}) and fails with {@code ErrImageNeverPull} otherwise. Pull secrets are not needed
 * (the layouts are local) and are ignored.
 */
public final class OciLayoutImagePuller implements ImageVolumePuller {

  /** The annotation naming a manifest's tag in {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private static final Pattern COMPONENT = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*(:[0-9]+)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Set<String> present = ConcurrentHashMap.newKeySet();

  /** A puller reading the layouts under {@code root}. */
  public OciLayoutImagePuller(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** Marks the references as already on the node (pull policy {@code Never} may use them). */
  public OciLayoutImagePuller withPresent(String... references) {
    present.addAll(List.of(references));
    return this;
  }

  @Override
  public void pull(ImageVolumeRequest request, Path target) throws ImagePullException {
    String ref = request.reference();
    if (request.pullPolicy() == ImagePullPolicy.NEVER && !present.contains(ref)) {
      throw ImagePullException.neverPull(ref);
    }
    try {
      unpack(ref, target);
    } catch (ImagePullException e) {
      throw e;
    } catch (IOException e) {
      throw ImagePullException.pullFailed("failed to pull and unpack image \"" + ref + "\": " + e.getMessage(), e);
    }
    present.add(ref);
  }

  private void unpack(String ref, Path target) throws IOException {
    Reference r = Reference.parse(ref);
    Path layout = root;
    for (String c : r.repository().split("/")) {
      if (!COMPONENT.matcher(c).matches()) {
        throw new IOException("invalid repository \"" + r.repository() + "\"");
      }
      layout = layout.resolve(c);
    }
    if (!Files.isRegularFile(layout.resolve("oci-layout")) || !Files.isRegularFile(layout.resolve("index.json"))) {
      throw new IOException(r.repository() + ": not found (no OCI layout at " + layout + ")");
    }
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode manifestDesc = find(layout, index, r);
    JsonNode manifest = JSON.readTree(blob(layout, manifestDesc));
    for (JsonNode layer : manifest.path("layers")) {
      applyLayer(layout, layer, target);
    }
  }

  /** The manifest descriptor the reference names, descending into nested indexes. */
  private JsonNode find(Path layout, JsonNode index, Reference r) throws IOException {
    for (JsonNode d : index.path("manifests")) {
      boolean match = r.digest().isPresent()
          ? d.path("digest").asText().equals(r.digest().get())
          : d.path("annotations").path(REF_NAME).asText().equals(r.tag());
      if (match) {
        return manifestOf(layout, d);
      }
    }
    throw new IOException(r.repository() + ":" + r.digest().orElse(r.tag()) + ": not found");
  }

  private JsonNode manifestOf(Path layout, JsonNode d) throws IOException {
    if (d.path("mediaType").asText().equals("application/vnd.oci.image.index.v1+json")) {
      JsonNode nested = JSON.readTree(blob(layout, d));
      for (JsonNode m : nested.path("manifests")) {
        return manifestOf(layout, m); // the first platform's
      }
      throw new IOException("image index " + d.path("digest").asText() + " has no manifests");
    }
    return d;
  }

  /** A blob's bytes, after checking its digest and size (for the small JSON blobs). */
  private static byte[] blob(Path layout, JsonNode desc) throws IOException {
    Path p = verified(layout, desc);
    return Files.readAllBytes(p);
  }

  /** The blob's path once its sha256 digest and size are checked. */
  private static Path verified(Path layout, JsonNode desc) throws IOException {
    String digest = desc.path("digest").asText();
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("unsupported digest \"" + digest + "\"");
    }
    Path p = layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("blob " + digest + " not found");
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        size += n;
      }
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(digest)) {
      throw new IOException("blob " + digest + " has digest " + actual + ": content does not match its digest");
    }
    if (desc.has("size") && desc.path("size").asLong() != size) {
      throw new IOException("blob " + digest + " has " + size + " bytes, the descriptor says " + desc.path("size").asLong());
    }
    return p;
  }

  private static void applyLayer(Path layout, JsonNode layer, Path target) throws IOException {
    String type = layer.path("mediaType").asText();
    boolean gzip = switch (type) {
      case "application/vnd.oci.image.layer.v1.tar" -> false;
      case "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip" -> true;
      default -> throw new IOException("unsupported layer media type \"" + type + "\"");
    };
    Path blob = verified(layout, layer);
    String digest = layer.path("digest").asText();
    // Pass 1: the layer's whiteouts, which apply to the layers below it only.
    try (InputStream in = open(blob, gzip)) {
      TarReader tar = new TarReader(in);
      for (var e = tar.next(); e.isPresent(); e = tar.next()) {
        List<String> parts = safeParts(digest, e.get().name());
        if (parts.isEmpty()) {
          continue;
        }
        String base = parts.get(parts.size() - 1);
        if (!base.startsWith(".wh.")) {
          continue;
        }
        Path dir = within(digest, target, parts.subList(0, parts.size() - 1), e.get().name());
        if (base.equals(".wh..wh..opq")) {
          if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
              for (Path c : children) {
                deleteTree(c);
              }
            }
          }
        } else {
          deleteTree(dir.resolve(base.substring(".wh.".length())));
        }
      }
    }
    // Pass 2: the layer's files.
    try (InputStream in = open(blob, gzip)) {
      TarReader tar = new TarReader(in);
      for (var e = tar.next(); e.isPresent(); e = tar.next()) {
        List<String> parts = safeParts(digest, e.get().name());
        if (parts.isEmpty() || parts.get(parts.size() - 1).startsWith(".wh.")) {
          continue;
        }
        extract(digest, target, parts, e.get(), tar);
      }
    }
  }

  private static void extract(String digest, Path target, List<String> parts, TarReader.Entry e, TarReader tar)
      throws IOException {
    Path parent = within(digest, target, parts.subList(0, parts.size() - 1), e.name());
    Files.createDirectories(parent);
    Path p = parent.resolve(parts.get(parts.size() - 1));
    if (e.type() == '5') {
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(p);
        Files.createDirectory(p);
      }
      return;
    }
    if (e.isFile()) {
      deleteTree(p);
      try (OutputStream out = Files.newOutputStream(p)) {
        tar.data().transferTo(out);
      }
      Files.setPosixFilePermissions(p, permissions(e.mode() | 0600));
    } else if (e.type() == '2') {
      deleteTree(p);
      Files.createSymbolicLink(p, Path.of(e.linkName())); // kept as it is, never followed
    } else if (e.type() == '1') {
      List<String> linkParts = safeParts(digest, e.linkName());
      Path from = within(digest, target, linkParts.subList(0, Math.max(0, linkParts.size() - 1)), e.linkName())
          .resolve(linkParts.isEmpty() ? "" : linkParts.get(linkParts.size() - 1));
      if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("layer " + digest + ": hard link \"" + e.name() + "\" to missing \"" + e.linkName() + "\"");
      }
      deleteTree(p);
      Files.copy(from, p, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
    // devices and FIFOs ('3', '4', '6'): skipped, see the class comment
  }

  /** The entry's path components, refusing absolute paths and {@code ..}; {@code .} dropped. */
  private static List<String> safeParts(String digest, String name) throws IOException {
    if (name.startsWith("/")) {
      throw new IOException("layer " + digest + ": entry \"" + name + "\" is an absolute path outside the volume");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new IOException("layer " + digest + ": entry \"" + name + "\" escapes the volume");
      }
      parts.add(c);
    }
    return parts;
  }

  /** The directory the components name below the target, refusing a path through a symbolic link. */
  private static Path within(String digest, Path target, List<String> dirs, String name) throws IOException {
    Path p = target;
    for (String c : dirs) {
      p = p.resolve(c);
      if (Files.isSymbolicLink(p)) {
        throw new IOException("layer " + digest + ": entry \"" + name + "\" goes through the symbolic link \""
            + target.relativize(p) + "\"");
      }
    }
    return p;
  }

  private static InputStream open(Path blob, boolean gzip) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(blob), 65536);
    return gzip ? new GZIPInputStream(in, 65536) : in;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  /** Removes the file, link (not its target) or directory tree; absent is fine. */
  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** An image reference split into repository, tag (default {@code latest}) and digest. */
  record Reference(String repository, String tag, java.util.Optional<String> digest) {
    static Reference parse(String ref) {
      String rest = ref;
      java.util.Optional<String> digest = java.util.Optional.empty();
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = java.util.Optional.of(rest.substring(at + 1));
        rest = rest.substring(0, at);
      }
      int slash = rest.lastIndexOf('/');
      int colon = rest.lastIndexOf(':');
      String tag = "latest";
      if (colon > slash) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      return new Reference(rest, tag, digest);
    }
  }
}
