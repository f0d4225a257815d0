package io.vipflip.local.ssm;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parameters of one account and Region, with Parameter Store's rules where vipflip depends on them: versions
 * that grow with each overwrite and restart after a delete, no overwrite without {@code Overwrite}, the standard
 * tier's 4,096-character limit, names of SSM's characters up to 15 levels deep.
 */
public final class ParameterStore {
    public static final int STANDARD_MAX_CHARS = 4096;
    public static final int ADVANCED_MAX_CHARS = 8192;
    static final int MAX_LEVELS = 15;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final String TIER_LINK =
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html";

    /** One stored parameter. */
    public record Stored(String name, String type, String value, long version, Instant lastModified, String tier) {
    }

    private final TreeMap<String, Stored> parameters = new TreeMap<>();
    private final String region;
    private final String account;
    private final Clock clock;

    public ParameterStore(String region, String account, Clock clock) {
        this.region = region;
        this.account = account;
        this.clock = clock;
    }

    public synchronized Optional<Stored> get(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** Every parameter in name order (the order pages are served in). */
    public synchronized List<Stored> all() {
        return new ArrayList<>(parameters.values());
    }

    /** PutParameter: answers the stored version. */
    public synchronized Stored put(String name, String value, Optional<String> type, boolean overwrite,
                                  Optional<String> tier) {
        checkName(name);
        if (value == null || value.isEmpty()) {
            throw SsmError.validation("", "value", "Member must have length greater than or equal to 1");
        }
        String chosenTier = tier.orElse("Standard");
        if (!List.of("Standard", "Advanced", "Intelligent-Tiering").contains(chosenTier)) {
            throw SsmError.validation(chosenTier, "tier", "Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]");
        }
        Stored existing = parameters.get(name);
        String storedTier = existing != null && existing.tier().equals("Advanced") ? "Advanced"
                : chosenTier.equals("Standard") ? "Standard"
                : value.length() > STANDARD_MAX_CHARS || chosenTier.equals("Advanced") ? "Advanced" : "Standard";
        if (storedTier.equals("Standard") && value.length() > STANDARD_MAX_CHARS) {
            throw SsmError.client("ValidationException", "Standard tier parameters support a maximum parameter value of "
                    + STANDARD_MAX_CHARS + " characters. To create a larger parameter value, upgrade the parameter to use "
                    + "the advanced-parameter tier. For more information, see " + TIER_LINK);
        }
        if (value.length() > ADVANCED_MAX_CHARS) {
            throw SsmError.client("ValidationException", "Advanced tier parameters support a maximum parameter value of "
                    + ADVANCED_MAX_CHARS + " characters.");
        }
        if (type.isPresent() && !List.of("String", "StringList", "SecureString").contains(type.get())) {
            throw SsmError.validation(type.get(), "type", "Member must satisfy enum value set: [SecureString, StringList, String]");
        }
        if (existing != null && !overwrite) {
            throw SsmError.client("ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        if (existing == null && type.isEmpty()) {
            throw SsmError.client("ValidationException", "A parameter type is required when you create a parameter.");
        }
        Stored stored = new Stored(name, type.orElse(existing == null ? "String" : existing.type()), value,
                existing == null ? 1 : existing.version() + 1, clock.instant(), storedTier);
        parameters.put(name, stored);
        return stored;
    }

    /** DeleteParameter. */
    public synchronized void delete(String name) {
        if (parameters.remove(name) == null) {
            throw SsmError.client("ParameterNotFound", "");
        }
    }

    /** Removes everything (between tests). */
    public synchronized void clear() {
        parameters.clear();
    }

    String arn(String name) {
        return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw SsmError.validation("", "name", "Member must have length greater than or equal to 1");
        }
        if (!NAME.matcher(name).matches() || (name.contains("/") && !name.startsWith("/")) || name.endsWith("/")
                || name.contains("//")) {
            throw SsmError.client("ValidationException", "Parameter name must be a fully qualified name: letters, "
                    + "digits and _.-, with a leading / for a hierarchy (got " + name + ")");
        }
        String first = name.startsWith("/") ? name.substring(1) : name;
        String lower = first.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("aws") || lower.startsWith("ssm")) {
            throw SsmError.client("ValidationException",
                    "No access to reserved parameter name: " + name + ".");
        }
        if (name.chars().filter(c -> c == '/').count() > MAX_LEVELS) {
            throw SsmError.client("HierarchyLevelLimitExceededException",
                    "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints"
                            + " for parameter names in the Amazon Web Services Systems Manager User Guide.");
        }
    }
}
