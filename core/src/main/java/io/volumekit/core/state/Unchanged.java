package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.model.meta.ApiObject;
import java.util.function.Function;

/**
 * The indexes' shortcut for updates that cannot concern them: most writes change a status, an
 * annotation or a finalizer and keep the rest of the object (the very same instances, as records
 * are copied field by field), so an index whose fields all live in an untouched part answers
 * {@code this} without computing and comparing its entries for the old and the new object.
 */
final class Unchanged {

  private Unchanged() {}

  /**
   * Whether the change is an update of an object of the type whose part {@code part} is the same
   * instance before and after (so every field read from that part is too). Allocates nothing.
   */
  static <T extends ApiObject> boolean part(Change change, Class<T> type, Function<? super T, ?> part) {
    ApiObject b = change.before().orElse(null);
    ApiObject a = change.after().orElse(null);
    return type.isInstance(b) && type.isInstance(a) && part.apply(type.cast(b)) == part.apply(type.cast(a));
  }
}
