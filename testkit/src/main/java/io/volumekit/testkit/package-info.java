/** volumekit testkit module. */
package io.volumekit.testkit;
