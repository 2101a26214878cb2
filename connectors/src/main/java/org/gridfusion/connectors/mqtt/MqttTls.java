package org.gridfusion.connectors.mqtt;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.gridfusion.common.config.ConfigException;

/**
 * TLS material for MQTT, from the files configuration names: the endpoint's server context (PEM
 * certificate and key, or a PKCS12 key store) and the bridge's client context (the CA it trusts).
 * The JDK's TLS implementation throughout: no native library to ship. A file that cannot be used
 * stops start-up with a message naming its key.
 */
public final class MqttTls {
  private MqttTls() {}

  /** The endpoint's server context from a PEM certificate chain and its PKCS#8 private key. */
  public static SslContext serverFromPem(Path certificate, Path privateKey) {
    try {
      return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
          .sslProvider(SslProvider.JDK)
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          "ingest.mqtt.tls.certificate",
          "cannot use "
              + certificate
              + " with "
              + privateKey
              + " (a PEM certificate and an unencrypted PKCS#8 PEM key are needed): "
              + e.getMessage());
    }
  }

  /** The endpoint's server context from a PKCS12 key store holding one key and its chain. */
  public static SslContext serverFromKeyStore(Path keyStore, String password) {
    char[] pw = password == null ? new char[0] : password.toCharArray();
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, pw);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          "ingest.mqtt.tls.keyStore",
          "cannot read the PKCS12 key store " + keyStore + ": " + e.getMessage());
    }
  }

  /** A client context that trusts the certificates in {@code caPem} (and only those). */
  public static SSLContext clientTrusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new ConfigException("mqtt.tls.caFile", caPem + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) trust.setCertificateEntry("ca-" + i++, c);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + caPem, e);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          "mqtt.tls.caFile", "cannot use " + caPem + " as trusted certificates: " + e.getMessage());
    }
  }
}
