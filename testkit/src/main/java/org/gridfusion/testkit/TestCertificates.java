package org.gridfusion.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for {@code 127.0.0.1} and {@code localhost}, made by a test with
 * the JDK's own {@code keytool} (no openssl needed), in the forms servers take it: a PKCS12 key
 * store, and PEM certificate plus unencrypted PKCS#8 PEM key (Mosquitto, Netty). Clients trust it
 * through {@link #clientContext()} or the PEM certificate as CA file.
 *
 * @param keyStore PKCS12 with the key and certificate under alias {@code server}
 * @param password of the key store and its key
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem the private key, PKCS#8 PEM, unencrypted
 */
public record TestCertificates(
    Path keyStore, String password, Path certificatePem, Path privateKeyPem) {

  /** Makes a fresh certificate in {@code dir} (valid 30 days, RSA 2048). */
  public static TestCertificates create(Path dir) {
    String password = "test-only-" + Long.toString(System.nanoTime(), 36);
    try {
      Files.createDirectories(dir);
      Path p12 = dir.resolve("server.p12");
      Files.deleteIfExists(p12);
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p =
          new ProcessBuilder(
                  List.of(
                      keytool.toString(),
                      "-genkeypair",
                      "-alias",
                      "server",
                      "-keyalg",
                      "RSA",
                      "-keysize",
                      "2048",
                      "-validity",
                      "30",
                      "-dname",
                      "CN=localhost",
                      "-ext",
                      "SAN=ip:127.0.0.1,dns:localhost",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      p12.toString(),
                      "-storepass",
                      password,
                      "-keypass",
                      password))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      KeyStore ks = load(p12, password);
      Certificate cert = ks.getCertificate("server");
      Key key = ks.getKey("server", password.toCharArray());
      Path certPem = dir.resolve("server.crt.pem");
      Path keyPem = dir.resolve("server.key.pem");
      Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
      return new TestCertificates(p12, password, certPem, keyPem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make test certificates in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key store keytool made", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /** A TLS client context that trusts this certificate only. */
  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", load(keyStore, password).getCertificate("server"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a client TLS context", e);
    }
  }

  private static KeyStore load(Path p12, String password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
