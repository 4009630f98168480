package io.volumekit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Objects for tests, written as JSON with single quotes. */
public final class TestJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestJson() {}

  /** The JSON (single quotes allowed in place of double quotes) as a tree. */
  public static JsonNode obj(String json) {
    try {
      return JSON.readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
