package io.vipflip.config;

import java.util.List;

/** Reads the configuration parameters under a path (SSM Parameter Store in AWS, the local world's in tests). */
@FunctionalInterface
public interface ConfigParameters {
    /** Every parameter below {@code path}, at any depth, values decrypted; all pages. */
    List<ConfigParameter> underPath(String path);
}
