package org.gridfusion.jobs.elasticsearch;

import java.io.Serializable;

/**
 * One document write: into a concrete index, under a deterministic id, as a whole document ({@code
 * index}) or merged into an existing one ({@code update} with {@code doc_as_upsert}). Deterministic
 * ids make every write idempotent, so a replay after a restart never duplicates. With a {@code
 * version}, the write is an external-version index that loses to a newer document.
 */
public record EsWrite(String index, String id, String json, boolean upsert, Long version)
    implements Serializable {
  public EsWrite(String index, String id, String json, boolean upsert) {
    this(index, id, json, upsert, null);
  }

  /**
   * A whole-document write that only replaces an older version ({@code version_type=external_gte}):
   * for "latest per key" documents, so a replayed or late update never overwrites a newer one.
   */
  public static EsWrite latest(String index, String id, String json, long version) {
    return new EsWrite(index, id, json, false, version);
  }

  public long sizeInBytes() {
    return index.length() + id.length() + json.length() + 64L;
  }
}
