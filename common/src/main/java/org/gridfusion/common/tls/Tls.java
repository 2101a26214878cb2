package org.gridfusion.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material from files, with the JDK alone: trust in a PEM CA certificate (Elasticsearch's
 * {@code http_ca.crt}), and a server's certificate and key from a PKCS12 key store or a PEM pair.
 * Errors name the file and what it should hold.
 */
public final class Tls {
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Tls() {}

  /** A client context trusting only the CA certificate(s) in a PEM file. */
  public static SSLContext trusting(Path caPem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certificates(caPem)) trust.setCertificateEntry("ca-" + i++, c);
      if (i == 0) throw new IllegalArgumentException(caPem + " holds no PEM certificate");
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use " + caPem + " as CA certificate: " + e, e);
    }
  }

  /** A server context with the certificate and key of a PKCS12 key store. */
  public static SSLContext serverFromPkcs12(Path keystore, String password) {
    char[] pw = password == null ? new char[0] : password.toCharArray();
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, pw);
      return server(ks, pw);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read " + keystore + " as a PKCS12 key store with the given password: " + e, e);
    }
  }

  /** A server context from a PEM certificate chain and its PKCS#8 private key. */
  public static SSLContext serverFromPem(Path certificatePem, Path keyPem) {
    try {
      List<Certificate> chain = certificates(certificatePem);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(certificatePem + " holds no PEM certificate");
      }
      PrivateKey key = privateKey(keyPem, chain.get(0).getPublicKey().getAlgorithm());
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      ks.setKeyEntry("server", key, pw, chain.toArray(Certificate[]::new));
      return server(ks, pw);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use " + certificatePem + " and " + keyPem + " as certificate and key: " + e, e);
    }
  }

  private static SSLContext server(KeyStore ks, char[] password) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** Every certificate of a PEM (or DER) file, in file order. */
  public static List<Certificate> certificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      return new ArrayList<>(all);
    }
  }

  private static PrivateKey privateKey(Path pem, String algorithm)
      throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    Matcher m = PEM_KEY.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(
          pem
              + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** PEM text of a DER block ({@code CERTIFICATE}, {@code PRIVATE KEY}), 64 columns. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
