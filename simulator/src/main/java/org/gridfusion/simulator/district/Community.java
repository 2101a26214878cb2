package org.gridfusion.simulator.district;

/**
 * A community (社区) inside a street; {@code code} like {@code S01-C02}. Its basic grids tile it
 * exactly.
 */
public record Community(String code, String name, String street, BoundingBox bounds) {}
