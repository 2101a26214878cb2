package org.gridfusion.jobs.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The standard-address table (contract §1): {@code addressCode,lat,lon,label}. */
public final class AddressRegistry {
  public record Address(String addressCode, double lat, double lon, String label) {}

  private final Map<String, Address> addresses;

  private AddressRegistry(Map<String, Address> addresses) {
    this.addresses = addresses;
  }

  public static AddressRegistry empty() {
    return new AddressRegistry(Map.of());
  }

  public static AddressRegistry load(Path csv) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return parse(in, csv.toString());
    }
  }

  /** The registry in CSV text; {@code csv} names it in error messages. */
  public static AddressRegistry parse(BufferedReader in, String csv) throws IOException {
    Map<String, Address> out = new HashMap<>();
    CsvTable.read(
        in,
        csv,
        List.of("addressCode", "lat", "lon", "label"),
        (row, line) ->
            out.put(
                row.get("addressCode"),
                new Address(
                    row.get("addressCode"),
                    CsvTable.coordinate(row, "lat", csv, line),
                    CsvTable.coordinate(row, "lon", csv, line),
                    row.get("label"))));
    return new AddressRegistry(out);
  }

  public Optional<Address> find(String code) {
    return Optional.ofNullable(addresses.get(code));
  }

  public int size() {
    return addresses.size();
  }
}
