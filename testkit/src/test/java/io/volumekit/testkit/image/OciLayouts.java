package io.volumekit.testkit.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes OCI image layouts for the tests: tar layers (ustar, pax for long names), manifest, index. */
final class OciLayouts {

  private OciLayouts() {}

  /** A tar archive being built. */
  static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Tar dir(String name) throws IOException {
      return entry(name, '5', 0755, new byte[0], "");
    }

    Tar file(String name, String content) throws IOException {
      return file(name, content, 0644);
    }

    Tar file(String name, String content, int mode) throws IOException {
      return entry(name, '0', mode, content.getBytes(StandardCharsets.UTF_8), "");
    }

    Tar symlink(String name, String target) throws IOException {
      return entry(name, '2', 0777, new byte[0], target);
    }

    Tar entry(String name, char type, int mode, byte[] data, String link) throws IOException {
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      if (nameBytes.length > 100) {
        String body = paxRecord("path", name);
        header("././@PaxHeader", 'x', 0644, body.getBytes(StandardCharsets.UTF_8).length, "");
        pad(body.getBytes(StandardCharsets.UTF_8));
        name = "longname";
      }
      header(name, type, mode, data.length, link);
      pad(data);
      return this;
    }

    private static String paxRecord(String key, String value) {
      String kv = " " + key + "=" + value + "\n";
      int len = kv.length() + 1;
      while ((String.valueOf(len) + kv).getBytes(StandardCharsets.UTF_8).length != len) {
        len = (String.valueOf(len) + kv).getBytes(StandardCharsets.UTF_8).length;
      }
      return len + kv;
    }

    private void header(String name, char type, int mode, long size, String link) throws IOException {
      byte[] h = new byte[512];
      put(h, 0, 100, name);
      put(h, 100, 8, String.format("%07o", mode));
      put(h, 108, 8, "0000000");
      put(h, 116, 8, "0000000");
      put(h, 124, 12, String.format("%011o", size));
      put(h, 136, 12, "00000000000");
      h[156] = (byte) type;
      put(h, 157, 100, link);
      put(h, 257, 6, "ustar");
      put(h, 263, 2, "00");
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, 8, String.format("%06o", sum));
      out.write(h);
    }

    private void pad(byte[] data) throws IOException {
      out.write(data);
      out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, int len, String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    byte[] bytes() {
      byte[] end = new byte[1024];
      byte[] body = out.toByteArray();
      byte[] all = new byte[body.length + end.length];
      System.arraycopy(body, 0, all, 0, body.length);
      return all;
    }

    byte[] gzipped() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
        gz.write(bytes());
      }
      return b.toByteArray();
    }
  }

  /** A layer: its media type and bytes. */
  record Layer(String mediaType, byte[] bytes) {
    static Layer gzip(Tar t) throws IOException {
      return new Layer("application/vnd.oci.image.layer.v1.tar+gzip", t.gzipped());
    }

    static Layer plain(Tar t) {
      return new Layer("application/vnd.oci.image.layer.v1.tar", t.bytes());
    }
  }

  /**
   * Writes {@code <root>/<repository>/} with the layers, a config, a manifest and an index naming
   * it {@code tag}; returns the manifest's digest.
   */
  static String write(Path root, String repository, String tag, List<Layer> layers) throws IOException {
    Path dir = root.resolve(repository);
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    String config = blob(dir, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8));
    List<String> descs = new ArrayList<>();
    for (Layer l : layers) {
      descs.add(desc(l.mediaType(), blob(dir, l.bytes()), l.bytes().length));
    }
    byte[] configBytes = Files.readAllBytes(dir.resolve("blobs/sha256").resolve(config.substring(7)));
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + desc("application/vnd.oci.image.config.v1+json", config, configBytes.length)
        + ",\"layers\":[" + String.join(",", descs) + "]}";
    byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
    String md = blob(dir, m);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + md + "\",\"size\":" + m.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return md;
  }

  /** The blob's file in the layout. */
  static Path blobPath(Path root, String repository, String digest) {
    return root.resolve(repository).resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static String desc(String mediaType, String digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  private static String blob(Path dir, byte[] bytes) throws IOException {
    String digest = sha256(bytes);
    Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
    return digest;
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
