package io.vipflip.local.ssm;

import java.util.List;

/** One SSM client, seen through what the conformance suite asks of it. Errors surface as {@link SsmFailure}. */
interface SsmDriver {
    /** PutParameter; answers the new version. {@code type} null leaves it out of the request. */
    long put(String name, String value, String type, boolean overwrite);

    /** GetParameter with decryption: value and version. */
    Param get(String name);

    /** GetParametersByPath through every page, in pages of {@code pageSize}. */
    List<Param> byPath(String path, boolean recursive, int pageSize);

    void delete(String name);

    record Param(String name, String value, long version) {
    }

    final class SsmFailure extends RuntimeException {
        final String code;

        SsmFailure(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }
    }
}
