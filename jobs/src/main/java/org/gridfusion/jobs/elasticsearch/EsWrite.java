package org.gridfusion.jobs.elasticsearch;

import java.io.Serializable;

/**
 * One document write: into a concrete index, under a deterministic id, as a whole document
 * ({@code index}) or merged into an existing one ({@code update} with {@code doc_as_upsert}).
 * Deterministic ids make every write idempotent, so a replay after a restart never duplicates.
 */
public record EsWrite(String index, String id, String json, boolean upsert) implements Serializable {
  public long sizeInBytes() {
    return index.length() + id.length() + json.length() + 64L;
  }
}
