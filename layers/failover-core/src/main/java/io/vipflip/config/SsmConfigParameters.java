package io.vipflip.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The configuration parameters in SSM Parameter Store. Reads page through GetParametersByPath with
 * {@code MaxResults} 10 (the API's maximum) until no {@code NextToken} is left — a page may hold fewer items than
 * asked, even none, and still carry a token (API reference, GetParametersByPath). Writes are the operator CLI's.
 */
public final class SsmConfigParameters implements ConfigParameters {
    /** GetParametersByPath's valid range for MaxResults is 1–10. */
    static final int PAGE_SIZE = 10;
    /** The standard tier's limit on a parameter value; vipflip never creates advanced (charged) parameters. */
    public static final int STANDARD_TIER_MAX_CHARS = 4096;
    private final SsmClient ssm;

    public SsmConfigParameters(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public List<ConfigParameter> underPath(String path) {
        List<ConfigParameter> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetParametersByPathResponse page = ssm.getParametersByPath(b -> b.path(path).recursive(true)
                    .withDecryption(true).maxResults(PAGE_SIZE).nextToken(next));
            page.parameters().forEach(p -> all.add(of(p)));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    public Optional<ConfigParameter> get(String name) {
        try {
            return Optional.of(of(ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter()));
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Creates or overwrites a standard-tier String parameter; answers the new version. */
    public long put(String name, String value) {
        return ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).tier(ParameterTier.STANDARD)
                .overwrite(true)).version();
    }

    /** Deletes the parameter; false when there was none. */
    public boolean delete(String name) {
        try {
            ssm.deleteParameter(b -> b.name(name));
            return true;
        } catch (ParameterNotFoundException e) {
            return false;
        }
    }

    private static ConfigParameter of(Parameter p) {
        return new ConfigParameter(p.name(), p.value(), p.version() == null ? 0 : p.version(), p.lastModifiedDate());
    }
}
