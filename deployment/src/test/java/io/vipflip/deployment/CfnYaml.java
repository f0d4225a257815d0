package io.vipflip.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads a CloudFormation YAML template, turning short-form tags (!Ref, !Sub, !GetAtt, …) into their long form. */
final class CfnYaml {
    private static final List<String> FUNCTIONS = List.of("Ref", "Condition", "GetAtt", "Sub", "Join", "If",
            "Equals", "Not", "And", "Or", "Select", "Split", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue",
            "Transform", "Length", "ToJsonString", "Contains", "EachMemberEquals", "EachMemberIn", "RefAll",
            "ValueOf", "ValueOfAll");

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(10 * 1024 * 1024);
            return (Map<String, Object>) new Yaml(new IntrinsicConstructor(options)).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String function;

            Intrinsic(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected node " + node);
                };
                if (function.equals("GetAtt") && value instanceof String text) {
                    int dot = text.indexOf('.');
                    value = List.of(text.substring(0, dot), text.substring(dot + 1));
                }
                String key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                return Map.of(key, value);
            }
        }
    }
}
