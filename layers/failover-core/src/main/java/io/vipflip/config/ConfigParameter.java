package io.vipflip.config;

import java.time.Instant;

/**
 * One configuration parameter as the parameter store returns it.
 *
 * @param version      the store's version number, increased by every overwrite (it restarts at 1 after a delete)
 * @param lastModified when that version was written; with the version it identifies one write
 */
public record ConfigParameter(String name, String value, long version, Instant lastModified) {
    /** "v3 of 2026-11-25T10:00:00Z": which write of the parameter is meant, for logs and history. */
    public String revision() {
        return "v" + version + " of " + lastModified;
    }
}
