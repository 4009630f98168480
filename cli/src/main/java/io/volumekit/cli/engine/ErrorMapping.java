package io.volumekit.cli.engine;

import io.volumekit.cli.error.CliException;
import io.volumekit.core.store.AlreadyExistsException;
import io.volumekit.core.store.ConflictException;
import io.volumekit.core.store.ForbiddenException;
import io.volumekit.core.store.InvalidException;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.codec.DecodeException;
import io.volumekit.model.codec.StrictDecodingException;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.validation.InvalidObjectException;
import java.util.List;
import java.util.Optional;

/**
 * Turns the engine's and the codec's refusals into what kubectl prints for the same API errors.
 *
 * <p>Mirrors kubectl's {@code checkErr}: Invalid is rebuilt as {@code The <Kind> "<name>" is
 * invalid: ...}; NotFound, AlreadyExists, Conflict and BadRequest print as {@code Error from
 * server (<Reason>): <message>}, a create naming its file (docs/cli.md, "Exit codes").
 */
final class ErrorMapping {

  private ErrorMapping() {}

  /**
   * The refusal of a write, or empty when {@code e} is not a refusal (a bug, to be propagated).
   *
   * @param create whether the write created the object (messages name the file then)
   * @param source the manifest's file, or {@code STDIN}
   */
  static Optional<CliException> ofWrite(RuntimeException e, KindInfo kind, String name, boolean create, String source) {
    if (e instanceof InvalidObjectException invalid) {
      return Optional.of(CliException.of(CliException.REFUSED, List.of(invalid.getMessage().split("\n"))));
    }
    if (e instanceof InvalidException invalid) {
      return Optional.of(CliException.invalid(invalid.key().kind(), invalid.key().name(), invalid.causes()));
    }
    if (e instanceof StrictDecodingException strict && !create) {
      return Optional.of(CliException.of(CliException.REFUSED, List.of(
          "The request is invalid: patch: Invalid value: \"" + name + "\": strict decoding error: "
              + String.join(", ", strict.violations()))));
    }
    if (e instanceof DecodeException decode) {
      String where = create ? "error when creating \"" + source + "\": " : "error when applying patch to \"" + source + "\": ";
      return Optional.of(CliException.fromServer("BadRequest", where + decode.getMessage()));
    }
    if (e instanceof AlreadyExistsException) {
      return Optional.of(CliException.fromServer("AlreadyExists", e.getMessage()));
    }
    if (e instanceof ConflictException) {
      return Optional.of(CliException.fromServer("Conflict", e.getMessage()));
    }
    if (e instanceof NotFoundException) {
      return Optional.of(CliException.notFound(kind, name));
    }
    if (e instanceof ForbiddenException) {
      String where = create ? "error when creating \"" + source + "\": " : "error when applying patch to \"" + source + "\": ";
      return Optional.of(CliException.fromServer("Forbidden", where + e.getMessage()));
    }
    if (e instanceof StoreException) {
      return Optional.of(CliException.fromServer("BadRequest", e.getMessage()));
    }
    return Optional.empty();
  }
}
