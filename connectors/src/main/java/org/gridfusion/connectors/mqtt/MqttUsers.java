package org.gridfusion.connectors.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MQTT endpoint's users ({@code ingest.mqtt.users}, {@code name:password}), checked at CONNECT.
 *
 * <p>Passwords are kept only as SHA-256 digests and compared with {@link MessageDigest#isEqual}, so
 * the time a check takes does not tell how much of a guess was right; an unknown name is compared
 * against a fixed digest so it takes as long as a known one.
 */
final class MqttUsers {
  /** What CONNECT's credentials amount to (return codes 0x00, 0x04, 0x05 of MQTT 3.1.1). */
  enum Verdict {
    ACCEPTED,
    BAD_USER_NAME_OR_PASSWORD,
    NOT_AUTHORIZED
  }

  private static final byte[] NOBODY =
      digest("gridfusion: no such user".getBytes(StandardCharsets.UTF_8));
  private final Map<String, byte[]> digests = new HashMap<>();
  private final boolean allowAnonymous;

  MqttUsers(List<String> users, boolean allowAnonymous) {
    this.allowAnonymous = allowAnonymous;
    for (String entry : users) {
      int colon = entry.indexOf(':');
      digests.put(
          entry.substring(0, colon),
          digest(entry.substring(colon + 1).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /**
   * @param userName null when CONNECT carries none
   * @param password null when CONNECT carries none
   */
  Verdict check(String userName, byte[] password) {
    if (userName == null) {
      // MQTT 3.1.1 §3.1.2.9: a password without a user name is a protocol violation; both absent
      // is an anonymous client.
      if (password != null) return Verdict.BAD_USER_NAME_OR_PASSWORD;
      return allowAnonymous ? Verdict.ACCEPTED : Verdict.NOT_AUTHORIZED;
    }
    byte[] expected = digests.getOrDefault(userName, NOBODY);
    byte[] presented = digest(password == null ? new byte[0] : password);
    boolean match = MessageDigest.isEqual(expected, presented) && expected != NOBODY;
    return match ? Verdict.ACCEPTED : Verdict.BAD_USER_NAME_OR_PASSWORD;
  }

  private static byte[] digest(byte[] secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
