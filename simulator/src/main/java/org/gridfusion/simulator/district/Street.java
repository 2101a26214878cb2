package org.gridfusion.simulator.district;

/**
 * A street (subdistrict office, 街道): a vertical strip of the district; {@code code} like {@code
 * S01}.
 */
public record Street(String code, String name, BoundingBox bounds) {}
