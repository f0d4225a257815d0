package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every intrinsic function in template.yaml is used in a form CloudFormation accepts (cfn-lint's E1xxx rules,
 * e.g. E1018 for a Fn::Join delimiter that is not a literal string, issue 10).
 */
class IntrinsicFormsTest {
    /** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html */
    private static final Set<String> RULE_FUNCTIONS = Set.of("Fn::And", "Fn::Contains", "Fn::EachMemberEquals",
            "Fn::EachMemberIn", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    /** The return values (Fn::GetAtt) of the resource types the template uses, from their CloudFormation references. */
    private static final Map<String, List<String>> ATTRIBUTES = Map.of(
            "AWS::SQS::Queue", List.of("Arn", "QueueName", "QueueUrl"),
            "AWS::Logs::LogGroup", List.of("Arn"),
            "AWS::IAM::Role", List.of("Arn", "RoleId"),
            "AWS::DynamoDB::Table", List.of("Arn", "StreamArn"),
            "AWS::SNS::Topic", List.of("TopicArn", "TopicName"),
            "AWS::EC2::SecurityGroup", List.of("GroupId", "VpcId"));
    private static final Set<String> LIST_PARAMETERS = listParameters();

    @SuppressWarnings("unchecked")
    private static Set<String> listParameters() {
        Set<String> lists = new HashSet<>();
        TemplateTest.section("Parameters").forEach((name, definition) -> {
            String type = String.valueOf(((Map<String, Object>) definition).get("Type"));
            if (type.startsWith("List<") || type.equals("CommaDelimitedList")) {
                lists.add(name);
            }
        });
        return lists;
    }

    @Test
    void everyIntrinsicIsWellFormed() {
        List<String> problems = new ArrayList<>();
        walk(TemplateTest.TEMPLATE, "", problems);
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckCatchesWhatCfnLintRejected() {
        List<String> problems = new ArrayList<>();
        walk(Map.of("Fn::Join", List.of(Map.of("Fn::Sub", ",arn:${AWS::Partition}:"), List.of("a"))), "x", problems);
        walk(Map.of("Fn::If", List.of("NoSuchCondition", "a", "b")), "y", problems);
        walk(Map.of("Fn::If", List.of("InlineConfig", "a")), "z", problems);
        walk(Map.of("Fn::Sub", List.of("${A}")), "w", problems);
        walk(Map.of("Ref", "NoSuchThing"), "v", problems);
        walk(Map.of("Fn::Sub", "${RouteTableIds}"), "u", problems);
        walk(Map.of("Fn::GetAtt", List.of("FailedInvocationQueue", "Name")), "t", problems);
        assertEquals(7, problems.size(), String.valueOf(problems));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyResourceAndOutputCondition_exists() {
        Set<String> conditions = TemplateTest.section("Conditions").keySet();
        for (String section : List.of("Resources", "Outputs")) {
            TemplateTest.section(section).forEach((name, value) -> {
                Object condition = ((Map<String, Object>) value).get("Condition");
                assertTrue(condition == null || conditions.contains(condition), section + "." + name + ": " + condition);
            });
        }
    }

    private static Set<String> known() {
        Set<String> known = new HashSet<>(TemplateTest.section("Resources").keySet());
        known.addAll(TemplateTest.section("Parameters").keySet());
        known.addAll(List.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::NoValue",
                "AWS::URLSuffix", "AWS::StackId", "AWS::NotificationARNs"));
        return known;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object node, String at, List<String> problems) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), at + "[" + i + "]", problems);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        if (map.size() == 1) {
            String key = (String) map.keySet().iterator().next();
            Object arg = map.get(key);
            String where = at + "/" + key;
            // Rules take only the rule functions (Fn::Join, Fn::Sub, ... are refused there).
            if (at.startsWith("/Rules") && key.startsWith("Fn::") && !RULE_FUNCTIONS.contains(key)) {
                problems.add(where + ": not a rule function");
            }
            switch (key) {
                case "Ref" -> {
                    String name = String.valueOf(arg).replaceFirst("\\.Alias$", "");
                    if (!(arg instanceof String) || !known().contains(name)) {
                        problems.add(where + ": unknown " + arg);
                    }
                }
                case "Fn::GetAtt" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 2
                            || !TemplateTest.section("Resources").containsKey(String.valueOf(l.get(0)))) {
                        problems.add(where + ": must name an existing resource and an attribute: " + arg);
                    } else {
                        String type = String.valueOf(((Map<?, ?>) TemplateTest.section("Resources").get(String.valueOf(l.get(0)))).get("Type"));
                        List<String> attributes = ATTRIBUTES.get(type);
                        if (attributes != null && !attributes.contains(String.valueOf(l.get(1)))) {
                            problems.add(where + ": " + type + " has no attribute " + l.get(1));
                        }
                    }
                }
                case "Fn::Join" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof String)) {
                        problems.add(where + ": needs [literal delimiter, list] (E1018): " + arg);
                    } else if (l.get(1) instanceof String) {
                        problems.add(where + ": the second argument must be a list: " + arg);
                    }
                }
                case "Fn::Split" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof String)) {
                        problems.add(where + ": needs [literal delimiter, string]: " + arg);
                    }
                }
                case "Fn::Select" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 2) {
                        problems.add(where + ": needs [index, list]: " + arg);
                    }
                }
                case "Fn::Sub" -> {
                    boolean form = arg instanceof String
                            || (arg instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String && l.get(1) instanceof Map);
                    if (!form) {
                        problems.add(where + ": needs a string or [string, map of variables]: " + arg);
                    } else {
                        String text = arg instanceof String s ? s : (String) ((List<?>) arg).get(0);
                        Map<?, ?> local = arg instanceof List<?> l ? (Map<?, ?>) l.get(1) : Map.of();
                        Matcher m = SUB_VARIABLE.matcher(text);
                        while (m.find()) {
                            if (!local.containsKey(m.group(1)) && LIST_PARAMETERS.contains(m.group(1))) {
                                problems.add(where + ": ${" + m.group(1) + "} is a list parameter; Fn::Sub takes strings only");
                            }
                        }
                    }
                }
                case "Fn::If" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 3
                            || !TemplateTest.section("Conditions").containsKey(String.valueOf(l.get(0)))) {
                        problems.add(where + ": needs [existing condition, then, else]: " + arg);
                    }
                }
                case "Condition" -> {
                    if (!TemplateTest.section("Conditions").containsKey(String.valueOf(arg))) {
                        problems.add(where + ": unknown condition " + arg);
                    }
                }
                case "Fn::Equals" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 2) {
                        problems.add(where + ": needs two values: " + arg);
                    }
                }
                case "Fn::Not" -> {
                    if (!(arg instanceof List<?> l) || l.size() != 1) {
                        problems.add(where + ": needs one condition: " + arg);
                    }
                }
                case "Fn::Contains" -> {
                    if (!at.startsWith("/Rules")) {
                        problems.add(where + ": a rule function, only in Rules");
                    } else if (!(arg instanceof List<?> l) || l.size() != 2 || l.get(1) instanceof List) {
                        problems.add(where + ": needs [list of strings, string]: " + arg);
                    }
                }
                case "Fn::And", "Fn::Or" -> {
                    if (!(arg instanceof List<?> l) || l.size() < 2 || l.size() > 10) {
                        problems.add(where + ": needs 2 to 10 conditions: " + arg);
                    }
                }
                default -> {
                    if (key.startsWith("Fn::") && !List.of("Fn::Base64", "Fn::Cidr", "Fn::GetAZs", "Fn::ImportValue",
                            "Fn::FindInMap", "Fn::Length", "Fn::ToJsonString", "Fn::Transform").contains(key)) {
                        problems.add(where + ": unknown function");
                    }
                }
            }
        }
        map.forEach((k, v) -> walk(v, at + "/" + k, problems));
    }
}
