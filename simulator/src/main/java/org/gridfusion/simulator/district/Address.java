package org.gridfusion.simulator.district;

/** A row of the standard-address table (contract §1), plus the grid it lies in. */
public record Address(String addressCode, double lat, double lon, String label, String gridId) {}
