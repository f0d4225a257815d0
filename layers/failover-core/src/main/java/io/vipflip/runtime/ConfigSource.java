package io.vipflip.runtime;

import io.vipflip.aws.AwsClients;
import java.util.Map;

/**
 * Where the configuration document comes from: {@code VIPFLIP_CONFIG} (the template builds it from its
 * parameters) or the SSM parameter named by {@code VIPFLIP_CONFIG_PARAMETER} (many groups). Read once per container.
 */
final class ConfigSource {
    static final String INLINE = "VIPFLIP_CONFIG";
    static final String PARAMETER = "VIPFLIP_CONFIG_PARAMETER";

    private ConfigSource() {
    }

    static String read(Map<String, String> env, AwsClients clients) {
        String inline = env.get(INLINE);
        String parameter = env.get(PARAMETER);
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasParameter = parameter != null && !parameter.isBlank();
        if (hasInline == hasParameter) {
            throw new IllegalStateException(INLINE + " / " + PARAMETER + ": set exactly one of them (got "
                    + (hasInline ? "both" : "neither") + ")");
        }
        if (hasInline) {
            return inline;
        }
        try (var ssm = clients.ssm()) {
            return ssm.getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value();
        }
    }
}
