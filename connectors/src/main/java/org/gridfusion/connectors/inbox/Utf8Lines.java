package org.gridfusion.connectors.inbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads an inbox file a line at a time, as bytes first, so that one line that is not UTF-8 is that
 * line's problem (a {@code MALFORMED} dead letter) instead of a failure of the whole file — a
 * reader that decodes the stream would throw out of the file and leave it, and every file after it,
 * unread forever.
 */
final class Utf8Lines implements AutoCloseable {
  /** One line without its terminator; {@code utf8} false when its bytes are not valid UTF-8. */
  record Line(String text, boolean utf8) {}

  private final InputStream in;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private final CharsetDecoder strict =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  Utf8Lines(InputStream in) {
    this.in = in;
  }

  /** The next line ({@code \n} or {@code \r\n} ends one), or null at the end of the file. */
  Line next() throws IOException {
    buffer.reset();
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') break;
      buffer.write(b);
    }
    if (!any) return null;
    byte[] bytes = buffer.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') length--;
    try {
      return new Line(strict.decode(ByteBuffer.wrap(bytes, 0, length)).toString(), true);
    } catch (CharacterCodingException e) {
      // shown with U+FFFD where the bytes were bad, so the dead letter still tells which line
      return new Line(new String(bytes, 0, length, StandardCharsets.UTF_8), false);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
