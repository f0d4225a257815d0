package io.vipflip.runtime;

import io.vipflip.aws.AwsClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the configuration comes from, exactly one of: {@code VIPFLIP_CONFIG} (the document inline; the template
 * builds it from its parameters), {@code VIPFLIP_CONFIG_PARAMETER} (the whole document in one SSM parameter), or
 * {@code VIPFLIP_CONFIG_PATH} (one SSM parameter per group under that path). Both SSM sources are re-read every
 * {@code VIPFLIP_CONFIG_REFRESH_SECONDS} (default 60) and after a SnapStart restore.
 */
final class ConfigSource {
    static final String INLINE = "VIPFLIP_CONFIG";
    static final String PARAMETER = "VIPFLIP_CONFIG_PARAMETER";
    static final String PATH = "VIPFLIP_CONFIG_PATH";
    static final String REFRESH = "VIPFLIP_CONFIG_REFRESH_SECONDS";

    private ConfigSource() {
    }

    /** The per-group parameters' root path, when that is the source; checks that exactly one source is set. */
    static Optional<String> path(Map<String, String> env) {
        List<String> set = List.of(INLINE, PARAMETER, PATH).stream().filter(v -> isSet(env, v)).toList();
        if (set.size() != 1) {
            throw new IllegalStateException(INLINE + " / " + PARAMETER + " / " + PATH + ": set exactly one of them (got "
                    + (set.isEmpty() ? "none" : String.join(" and ", set)) + ")");
        }
        return isSet(env, PATH) ? Optional.of(env.get(PATH).trim()) : Optional.empty();
    }

    /** The document is inline ({@code VIPFLIP_CONFIG}): it changes only with a deployment. */
    static boolean inline(Map<String, String> env) {
        return isSet(env, INLINE);
    }

    /** How often the per-group parameters (or the one document parameter) are re-read: {@code VIPFLIP_CONFIG_REFRESH_SECONDS}, 10–3600, default 60. */
    static Duration refresh(Map<String, String> env) {
        String text = env.get(REFRESH);
        if (text == null || text.isBlank()) {
            return Duration.ofSeconds(60);
        }
        try {
            int seconds = Integer.parseInt(text.trim());
            if (seconds >= 10 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(REFRESH + ": must be a whole number of seconds from 10 to 3600 (got '" + text + "')");
    }

    /** The whole document, from {@code VIPFLIP_CONFIG} or the parameter named by {@code VIPFLIP_CONFIG_PARAMETER}. */
    static String read(Map<String, String> env, software.amazon.awssdk.services.ssm.SsmClient ssm) {
        path(env);
        if (isSet(env, INLINE)) {
            return env.get(INLINE);
        }
        return ssm.getParameter(b -> b.name(env.get(PARAMETER)).withDecryption(true)).parameter().value();
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
