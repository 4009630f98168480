package io.volumekit.testkit.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal streaming tar reader for image layers: ustar headers (with the {@code prefix} field),
 * pax extended headers ({@code path}, {@code linkpath}, {@code size}) and GNU long names ({@code
 * L}, {@code K}). Enough for the layers image builders write; no sparse files.
 */
final class TarReader {

  /** One entry: its (long) name, type flag, mode, size and link target. */
  record Entry(String name, char type, int mode, long size, String linkName) {
    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining; // bytes of the current entry's data not yet read
  private long padding;   // bytes of padding after it

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, its data ready to read with {@link #data()}; empty at the end of the archive. */
  Optional<Entry> next() throws IOException {
    skipData();
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] h = new byte[BLOCK];
      if (!readBlock(h)) {
        return Optional.empty();
      }
      if (isZero(h)) {
        return Optional.empty();
      }
      char type = (char) h[156];
      long size = number(h, 124, 12);
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        byte[] body = readBody(size);
        if (type == 'x') {
          pax.putAll(parsePax(body));
        } else if (type == 'L') {
          longName = cString(body, 0, body.length);
        } else if (type == 'K') {
          longLink = cString(body, 0, body.length);
        }
        continue;
      }
      String name = cString(h, 0, 100);
      String prefix = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar") ? cString(h, 345, 155) : "";
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      name = pax.getOrDefault("path", longName != null ? longName : name);
      String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cString(h, 157, 100));
      if (pax.containsKey("size")) {
        size = Long.parseLong(pax.get("size").trim());
      }
      int mode = (int) number(h, 100, 8);
      boolean hasData = type == '0' || type == '\0' || type == '7';
      remaining = hasData ? size : 0;
      padding = hasData ? (BLOCK - size % BLOCK) % BLOCK : 0;
      if (!hasData && size > 0 && type != '1' && type != '2' && type != '5') {
        remaining = size; // unknown type with data: skip it
        padding = (BLOCK - size % BLOCK) % BLOCK;
      }
      return Optional.of(new Entry(name, type, mode, size, link));
    }
  }

  /** The current entry's data (read it before the next {@link #next()}; what is not read is skipped). */
  InputStream data() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("truncated tar entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipData() throws IOException {
    long skip = remaining + padding;
    remaining = 0;
    padding = 0;
    while (skip > 0) {
      long n = in.skip(skip);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new EOFException("truncated tar archive");
        }
        n = 1;
      }
      skip -= n;
    }
  }

  private byte[] readBody(long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extended header of " + size + " bytes is too large");
    }
    byte[] body = in.readNBytes((int) size);
    if (body.length != size) {
      throw new EOFException("truncated tar header");
    }
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    if (in.readNBytes((int) pad).length != pad) {
      throw new EOFException("truncated tar header");
    }
    return body;
  }

  private boolean readBlock(byte[] h) throws IOException {
    int n = in.readNBytes(h, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("truncated tar header");
    }
    return true;
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** An octal field, or a base-256 one (first byte's high bit set). */
  private static long number(byte[] h, int off, int len) throws IOException {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String s = cString(h, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("bad tar header number \"" + s + "\"", e);
    }
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** pax records: {@code "<len> <key>=<value>\n"}. */
  private static Map<String, String> parsePax(byte[] body) throws IOException {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i < body.length) {
      int space = i;
      while (space < body.length && body[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(body, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("bad pax header", e);
      }
      if (len <= 0 || i + len > body.length) {
        throw new IOException("bad pax header record length " + len);
      }
      String record = new String(body, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        out.put(record.substring(0, eq), record.substring(eq + 1));
      }
      i += len;
    }
    return out;
  }
}
