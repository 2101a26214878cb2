package org.gridfusion.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.gridfusion.common.tls.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private CA and one server certificate signed by it, made with the JDK's {@code keytool} (no
 * library, nothing downloaded): what the embedded Elasticsearch node serves HTTPS with when {@code
 * embedded.secure} is on, and what tests give the HTTPS ingest. Made once per directory and reused.
 *
 * <p>Files in {@code dir}: {@code ca.p12} (the CA's key; never needed by clients), {@code ca.crt}
 * (PEM, what clients trust), {@code server.p12} (PKCS12: server key and chain), {@code server.crt}
 * (PEM chain) and {@code server.key} (PEM, unencrypted PKCS#8, readable by the owner only). The
 * server certificate names {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the given hosts.
 */
public final class Certificates {
  private static final Logger LOG = LoggerFactory.getLogger(Certificates.class);

  private final Path dir;
  private final String password;

  private Certificates(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** The CA and server certificate in {@code dir}, made there first if missing. */
  public static Certificates inDirectory(Path dir, String password, List<String> extraHosts) {
    if (password.length() < 6) {
      throw new IllegalArgumentException("keytool needs a password of at least 6 characters");
    }
    Certificates c = new Certificates(dir.toAbsolutePath(), password);
    if (!Files.isRegularFile(c.serverKey()) || !Files.isRegularFile(c.caCertificate())) {
      c.make(extraHosts);
    }
    return c;
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  public Path serverKeystore() {
    return dir.resolve("server.p12");
  }

  public String password() {
    return password;
  }

  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  private void make(List<String> extraHosts) {
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(dir);
      for (String f : List.of("ca.p12", "ca.crt", "server.p12", "server.csr", "server.crt")) {
        Files.deleteIfExists(dir.resolve(f));
      }
      String ca = dir.resolve("ca.p12").toString();
      String server = serverKeystore().toString();
      keytool(
          "-genkeypair",
          "-alias",
          "ca",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=GridFusion private CA",
          "-ext",
          "bc:c",
          "-validity",
          "3650",
          "-keystore",
          ca,
          "-storetype",
          "PKCS12",
          "-storepass:env",
          PASSWORD_VARIABLE);
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca,
          "-storepass:env",
          PASSWORD_VARIABLE,
          "-file",
          caCertificate().toString());
      keytool(
          "-genkeypair",
          "-alias",
          "server",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=localhost",
          "-validity",
          "3650",
          "-keystore",
          server,
          "-storetype",
          "PKCS12",
          "-storepass:env",
          PASSWORD_VARIABLE);
      String csr = dir.resolve("server.csr").toString();
      keytool(
          "-certreq",
          "-alias",
          "server",
          "-keystore",
          server,
          "-storepass:env",
          PASSWORD_VARIABLE,
          "-file",
          csr);
      String signed = dir.resolve("server.signed.crt").toString();
      keytool(
          "-gencert",
          "-alias",
          "ca",
          "-keystore",
          ca,
          "-storepass:env",
          PASSWORD_VARIABLE,
          "-infile",
          csr,
          "-outfile",
          signed,
          "-rfc",
          "-validity",
          "3650",
          "-ext",
          "SAN=" + san(extraHosts),
          "-ext",
          "KU=digitalSignature,keyEncipherment",
          "-ext",
          "EKU=serverAuth");
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "ca",
          "-keystore",
          server,
          "-storepass:env",
          PASSWORD_VARIABLE,
          "-file",
          caCertificate().toString());
      keytool(
          "-importcert",
          "-alias",
          "server",
          "-keystore",
          server,
          "-storepass:env",
          PASSWORD_VARIABLE,
          "-file",
          signed);
      writePem();
      Files.deleteIfExists(Path.of(csr));
      Files.deleteIfExists(Path.of(signed));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make certificates in " + dir, e);
    }
    LOG.info(
        "Made a private CA and a server certificate in {} in {}",
        dir,
        Timing.seconds(Timing.since(t0)));
  }

  /** Server chain and key as PEM, for servers that read PEM (Elasticsearch, the ingest). */
  private void writePem() throws IOException {
    try (InputStream in = Files.newInputStream(serverKeystore())) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      Key key = ks.getKey("server", password.toCharArray());
      StringBuilder chain = new StringBuilder();
      for (Certificate c : ks.getCertificateChain("server")) {
        chain.append(Tls.pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(serverCertificate(), chain, StandardCharsets.US_ASCII);
      Files.deleteIfExists(serverKey());
      Files.writeString(
          serverKey(), Tls.pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(serverKey(), PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the directory's own permissions protect it
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read back " + serverKeystore() + ": " + e, e);
    }
  }

  private static String san(List<String> extraHosts) {
    Set<String> entries = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
    for (String h : extraHosts) {
      if (h == null || h.isBlank() || h.equals("0.0.0.0") || h.equals("::")) continue;
      entries.add((isIp(h) ? "ip:" : "dns:") + h);
    }
    return entries.stream().collect(Collectors.joining(","));
  }

  private static boolean isIp(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  /** The machine's name, for a certificate of services bound to every interface. */
  public static String localHostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** keytool reads the password from here, so it never shows in the process list. */
  private static final String PASSWORD_VARIABLE = "GF_KEYTOOL_PASSWORD";

  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null"));
    pb.environment().put(PASSWORD_VARIABLE, password);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool " + args[0] + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
    if (p.exitValue() != 0) {
      // The output names the step; it never holds the password (read from the environment).
      throw new IOException("keytool " + args[0] + " failed: " + out.trim());
    }
  }
}
