package io.volumekit.core.node;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file of an atomically written volume (secret, configMap, downwardAPI, projected): its bytes
 * and its exact mode, as Kubernetes' {@code volumeutil.FileProjection}.
 *
 * <p>{@link #toString()} never shows the content (it may be secret data).
 */
public record PayloadFile(byte[] data, int mode) {

  public PayloadFile {
    data = Objects.requireNonNull(data, "data").clone();
    if (mode < 0 || mode > 0777) {
      throw new IllegalArgumentException("mode must be between 0 and 0777: " + Integer.toOctalString(mode));
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PayloadFile f && f.mode == mode && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + mode;
  }

  @Override
  public String toString() {
    return "PayloadFile[" + data.length + " bytes, mode=0" + Integer.toOctalString(mode) + "]";
  }
}
