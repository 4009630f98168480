/** volumekit examples module. */
package io.volumekit.examples;
