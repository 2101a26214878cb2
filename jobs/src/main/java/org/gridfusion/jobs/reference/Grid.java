package org.gridfusion.jobs.reference;

import java.io.Serializable;
import org.gridfusion.common.contract.GridKind;

/** One grid of the grid map (contract §1) with its centroid, for maps and alerts. */
public record Grid(
    String gridId,
    String name,
    GridKind kind,
    String district,
    String street,
    String community,
    int households,
    int population,
    double centroidLat,
    double centroidLon)
    implements Serializable {}
