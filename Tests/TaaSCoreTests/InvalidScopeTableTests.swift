import Foundation
import TaaSCore
import Testing

/// One invalid document and the error it must produce.
struct InvalidScopeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let document: @Sendable () -> Data
    /// The printed JSON path of the expected error.
    let path: String
    /// A fragment of the expected error message.
    let fragment: String
    var hint: String?
    var location: TaaSCore.SourceLocation?

    var testDescription: String { name }

    static func text(
        _ name: String,
        _ text: String,
        at path: String,
        _ fragment: String,
        hint: String? = nil,
        location: TaaSCore.SourceLocation? = nil
    ) -> InvalidScopeCase {
        InvalidScopeCase(
            name: name,
            document: { Data(text.utf8) },
            path: path,
            fragment: fragment,
            hint: hint,
            location: location
        )
    }

    static func bytes(
        _ name: String,
        _ make: @escaping @Sendable () -> Data,
        at path: String,
        _ fragment: String
    ) -> InvalidScopeCase {
        InvalidScopeCase(name: name, document: make, path: path, fragment: fragment)
    }
}

@Suite struct InvalidScopeTableTests {
    static let wrongTypes: [InvalidScopeCase] = [
        .text(
            "scope_id number",
            #"{"scope_id": 42, "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "expected a string, found a number 42"
        ),
        .text(
            "scope_id null",
            #"{"scope_id": null, "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "expected a string, found null"
        ),
        .text(
            "scenarios object",
            Doc.scope(scenarios: "{}"),
            at: "scenarios",
            "expected an array of scenarios, found an object"
        ),
        .text(
            "scenario is a string",
            Doc.scope(scenarios: #"["UNIT-001"]"#),
            at: "scenarios[0]",
            #"expected an object, found a string "UNIT-001""#
        ),
        .text(
            "environment string",
            Doc.scope(#""environment": "docker""#),
            at: "environment",
            #"expected an object, found a string "docker""#
        ),
        .text(
            "environment type number",
            Doc.scope(#""environment": {"type": 1}"#),
            at: "environment.type",
            #"expected one of "docker", "venv", "jail", "local", found a number 1"#
        ),
        .text(
            "image number",
            Doc.scope(#""environment": {"type": "docker", "image": 3}"#),
            at: "environment.image",
            "expected a string, found a number 3"
        ),
        .text(
            "dependencies string",
            Doc.scope(#""environment": {"dependencies": "pytest"}"#),
            at: "environment.dependencies",
            #"expected an array of requirement strings, found a string "pytest""#
        ),
        .text(
            "dependency number",
            Doc.scope(#""environment": {"dependencies": ["pytest", 7]}"#),
            at: "environment.dependencies[1]",
            "expected a string, found a number 7"
        ),
        .text(
            "env array",
            Doc.scope(#""environment": {"env": ["A=1"]}"#),
            at: "environment.env",
            "expected an object of variable names to string values, found an array"
        ),
        .text(
            "env value number",
            Doc.scope(#""environment": {"env": {"PORT": 3000}}"#),
            at: "environment.env.PORT",
            "expected a string, found a number 3000"
        ),
        .text(
            "env value bool",
            Doc.scope(#""environment": {"env": {"DEBUG": true}}"#),
            at: "environment.env.DEBUG",
            "expected a string, found a boolean true"
        ),
        .text(
            "lifecycle array",
            Doc.scope(#""lifecycle": ["make"]"#),
            at: "lifecycle",
            "expected an object, found an array"
        ),
        .text(
            "lifecycle.setup string",
            Doc.scope(#""lifecycle": {"setup": "make db"}"#),
            at: "lifecycle.setup",
            #"expected an array of commands, found a string "make db""#
        ),
        .text(
            "lifecycle.teardown object",
            Doc.scope(#""lifecycle": {"teardown": {}}"#),
            at: "lifecycle.teardown",
            "expected an array of commands, found an object"
        ),
        .text(
            "step object without command",
            Doc.scope(#""lifecycle": {"setup": [{"timeout_seconds": 5}]}"#),
            at: "lifecycle.setup[0].command",
            #"required field "command" is missing"#
        ),
        .text(
            "step number",
            Doc.scope(#""lifecycle": {"teardown": ["ok", 5]}"#),
            at: "lifecycle.teardown[1]",
            #"expected a command string or an object {"command", "timeout_seconds"}, found a number 5"#
        ),
        .text(
            "step empty string",
            Doc.scope(#""lifecycle": {"setup": ["  "]}"#),
            at: "lifecycle.setup[0]",
            "expected a non-empty string"
        ),
        .text(
            "step command number",
            Doc.scope(#""lifecycle": {"setup": [{"command": 1}]}"#),
            at: "lifecycle.setup[0].command",
            "expected a string, found a number 1"
        ),
        .text(
            "step timeout negative",
            Doc.scope(#""lifecycle": {"setup": [{"command": "x", "timeout_seconds": -5}]}"#),
            at: "lifecycle.setup[0].timeout_seconds",
            "expected a number of seconds > 0 and ≤ 86400, found -5"
        ),
        .text(
            "scenario timeout negative",
            Doc.scenario(#""command": "x", "timeout_seconds": -1"#),
            at: "scenarios[0].timeout_seconds",
            "expected a number of seconds > 0 and ≤ 86400, found -1"
        ),
        .text(
            "scenario timeout zero",
            Doc.scenario(#""command": "x", "timeout_seconds": 0"#),
            at: "scenarios[0].timeout_seconds",
            "> 0 and ≤ 86400, found 0"
        ),
        .text(
            "scenario timeout string",
            Doc.scenario(#""command": "x", "timeout_seconds": "60""#),
            at: "scenarios[0].timeout_seconds",
            #"expected a number of seconds, found a string "60""#
        ),
        .text(
            "scenario timeout huge",
            Doc.scenario(#""command": "x", "timeout_seconds": 86401"#),
            at: "scenarios[0].timeout_seconds",
            "≤ 86400, found 86401"
        ),
        .text(
            "scenario timeout overflowing a double",
            Doc.scenario(#""command": "x", "timeout_seconds": 1e400"#),
            at: "$",
            "the number 1e400 is too large"
        ),
        .text(
            "scenario id number",
            Doc.scope(scenarios: #"[{"id": 1, "command": "x"}]"#),
            at: "scenarios[0].id",
            "expected a string, found a number 1"
        ),
        .text(
            "command array",
            Doc.scenario(#""command": ["x"]"#),
            at: "scenarios[0].command",
            "expected a string, found an array"
        ),
        .text(
            "command empty",
            Doc.scenario(#""command": """#),
            at: "scenarios[0].command",
            #"expected a non-empty string, found """#
        ),
        .text(
            "execution string",
            Doc.scenario(#""execution": "pytest""#),
            at: "scenarios[0].execution",
            #"expected an object, found a string "pytest""#
        ),
        .text(
            "retry_policy string",
            Doc.scenario(#""command": "x", "retry_policy": "3""#),
            at: "scenarios[0].retry_policy",
            "expected an object"
        ),
        .text(
            "attempts 0",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": 0}"#),
            at: "scenarios[0].retry_policy.attempts",
            "expected a whole number from 1 to 100, found 0"
        ),
        .text(
            "attempts 1.5",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": 1.5}"#),
            at: "scenarios[0].retry_policy.attempts",
            "expected a whole number from 1 to 100, found 1.5"
        ),
        .text(
            "attempts string",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": "3"}"#),
            at: "scenarios[0].retry_policy.attempts",
            #"expected a whole number from 1 to 100, found a string "3""#
        ),
        .text(
            "attempts 1000",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": 1000}"#),
            at: "scenarios[0].retry_policy.attempts",
            "expected a whole number from 1 to 100, found 1000"
        ),
        .text(
            "attempts 101",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": 101}"#),
            at: "scenarios[0].retry_policy.attempts",
            "found 101"
        ),
        .text(
            "attempts negative",
            Doc.scenario(#""command": "x", "retry_policy": {"attempts": -2}"#),
            at: "scenarios[0].retry_policy.attempts",
            "found -2"
        ),
        .text(
            "attempts in the second scenario",
            Doc.scope(
                scenarios:
                    #"[{"id": "A", "command": "x"}, {"id": "B", "command": "y", "retry_policy": {"attempts": 0}}]"#
            ),
            at: "scenarios[1].retry_policy.attempts",
            "found 0"
        ),
        .text(
            "backoff linaer",
            Doc.scenario(#""command": "x", "retry_policy": {"backoff": "linaer"}"#),
            at: "scenarios[0].retry_policy.backoff",
            #"expected one of "none", "fixed", "linear", "exponential", found "linaer""#,
            hint: #"did you mean "linear"?"#
        ),
        .text(
            "backoff number",
            Doc.scenario(#""command": "x", "retry_policy": {"backoff": 2}"#),
            at: "scenarios[0].retry_policy.backoff",
            "found a number 2"
        ),
        .text(
            "delay -1",
            Doc.scenario(#""command": "x", "retry_policy": {"delay_seconds": -1}"#),
            at: "scenarios[0].retry_policy.delay_seconds",
            "expected a number of seconds ≥ 0 and ≤ 3600, found -1"
        ),
        .text(
            "delay too long",
            Doc.scenario(#""command": "x", "retry_policy": {"delay_seconds": 3601}"#),
            at: "scenarios[0].retry_policy.delay_seconds",
            "found 3601"
        ),
        .text(
            "services object",
            Doc.scope(#""services": {"name": "db"}"#),
            at: "services",
            "expected an array of services, found an object"
        ),
        .text(
            "environment type misspelt",
            Doc.scope(#""environment": {"type": "dokcer"}"#),
            at: "environment.type",
            #"found "dokcer""#,
            hint: #"did you mean "docker"?"#
        ),
    ]

    static let structure: [InvalidScopeCase] = [
        .text(
            "missing scope_id",
            #"{"scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            #"required field "scope_id" is missing"#
        ),
        .text("missing scenarios", #"{"scope_id": "s"}"#, at: "scenarios", #"required field "scenarios" is missing"#),
        .text(
            "empty scenarios",
            Doc.scope(scenarios: "[]"),
            at: "scenarios",
            "expected at least one scenario, found an empty array"
        ),
        .text(
            "scenario without id",
            Doc.scope(scenarios: #"[{"command": "x"}]"#),
            at: "scenarios[0].id",
            #"required field "id" is missing"#
        ),
        .text(
            "execution and command",
            Doc.scenario(#""command": "x", "execution": {"runner": "pytest", "target": "t"}"#),
            at: "scenarios[0]",
            #"a scenario has exactly one of "execution", "command" and "http", found "execution" and "command""#
        ),
        .text(
            "neither execution nor command",
            Doc.scenario(#""type": "unit""#),
            at: "scenarios[0]",
            #"a scenario needs either "execution""#
        ),
        .text(
            "duplicate scenario ids",
            Doc.scope(
                scenarios: #"[{"id": "A", "command": "x"}, {"id": "B", "command": "y"}, {"id": "A", "command": "z"}]"#
            ),
            at: "scenarios[2].id",
            #"the id "A" is already used by scenarios[0]; ids must be unique"#
        ),
        .text(
            "duplicate scenario ids, first at 1",
            Doc.scope(
                scenarios:
                    #"[{"id": "A", "command": "x"}, {"id": "B", "command": "y"}, {"id": "C", "command": "y"}, {"id": "B", "command": "z"}]"#
            ),
            at: "scenarios[3].id",
            "already used by scenarios[1]"
        ),
        .text(
            "execution without runner",
            Doc.execution(#""target": "t""#),
            at: "scenarios[0].execution.runner",
            #"required field "runner" is missing"#
        ),
        .text(
            "execution without target",
            Doc.execution(#""runner": "pytest""#),
            at: "scenarios[0].execution.target",
            #"required field "target" is missing"#
        ),
        .text(
            "unknown runner pytset",
            Doc.execution(#""runner": "pytset", "target": "t""#),
            at: "scenarios[0].execution.runner",
            #"unknown runner "pytset"; expected one of "pytest", "unittest""#,
            hint: #"did you mean "pytest"?"#
        ),
        .text(
            "unknown runner jest",
            Doc.execution(#""runner": "jest", "target": "t""#),
            at: "scenarios[0].execution.runner",
            #"unknown runner "jest""#
        ),
        .text(
            "target ../../etc/passwd",
            Doc.execution(#""runner": "pytest", "target": "../../etc/passwd""#),
            at: "scenarios[0].execution.target",
            #""../../etc/passwd" leaves the workspace"#
        ),
        .text(
            "target tests/../../x",
            Doc.execution(#""runner": "pytest", "target": "tests/../../x""#),
            at: "scenarios[0].execution.target",
            "leaves the workspace"
        ),
        .text(
            "target /etc/passwd",
            Doc.execution(#""runner": "pytest", "target": "/etc/passwd""#),
            at: "scenarios[0].execution.target",
            #""/etc/passwd" is an absolute path"#
        ),
        .text(
            "target in home",
            Doc.execution(#""runner": "pytest", "target": "~/tests""#),
            at: "scenarios[0].execution.target",
            "points into a home folder"
        ),
        .text(
            "target looks like an option",
            Doc.execution(#""runner": "pytest", "target": "--collect-only""#),
            at: "scenarios[0].execution.target",
            "would be read as an option"
        ),
        .text(
            "scope_id with a space",
            Doc.scope().replacingOccurrences(of: #""s""#, with: #""my scope!""#),
            at: "scope_id",
            #""my scope!" is not a valid id: use letters, digits"#
        ),
        .text(
            "scope_id starting with a dash",
            #"{"scope_id": "-x", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "is not a valid id"
        ),
        .text(
            "scope_id with a slash",
            #"{"scope_id": "a/b", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "is not a valid id"
        ),
        .text(
            "scope_id non-ASCII",
            #"{"scope_id": "scöpe", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "is not a valid id"
        ),
        .text(
            "scope_id empty",
            #"{"scope_id": "", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "expected a non-empty string"
        ),
        .text(
            "scope_id too long",
            #"{"scope_id": ""# + String(repeating: "a", count: 201)
                + #"", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "expected at most 200 characters, found 201"
        ),
        .text(
            "scope_id escaped NUL",
            #"{"scope_id": "a\u0000b", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            "the string contains a NUL character"
        ),
        .text(
            "scenario id with a space",
            Doc.scope(scenarios: #"[{"id": "UNIT 1", "command": "x"}]"#),
            at: "scenarios[0].id",
            "is not a valid id"
        ),
        .text(
            "env value with escaped NUL",
            Doc.scope(#""environment": {"env": {"A": "x\u0000"}}"#),
            at: "environment.env.A",
            "the value contains a NUL character"
        ),
        .text(
            "env var name 1BAD",
            Doc.scope(#""environment": {"env": {"1BAD": "x"}}"#),
            at: "environment.env.1BAD",
            #""1BAD" is not a valid environment variable name"#
        ),
        .text(
            "env var name with a dash",
            Doc.scope(#""environment": {"env": {"MY-VAR": "x"}}"#),
            at: "environment.env.MY-VAR",
            "is not a valid environment variable name"
        ),
        .text(
            "dependency that is an option",
            Doc.scope(#""environment": {"dependencies": ["-r requirements.txt"]}"#),
            at: "environment.dependencies[0]",
            #"found the option "-r requirements.txt""#
        ),
        .text(
            "dependency that is a path",
            Doc.scope(#""environment": {"dependencies": ["pytest", "./pkg"]}"#),
            at: "environment.dependencies[1]",
            #"expected a requirement specifier by name such as "requests>=2" (a package name with optional extras, version specifiers and markers), found the path "./pkg""#,
            hint:
                #"pip runs on the host, so paths, URLs, "@" references and pip options are refused; vendor a local package in the workspace (and add its folder to PYTHONPATH in environment.env), or publish it as a wheel where pip finds its packages"#
        ),
        .text(
            "dependency that is a direct reference",
            Doc.scope(#""environment": {"dependencies": ["pkg @ file:///tmp/pkg"]}"#),
            at: "environment.dependencies[0]",
            #"found the URL "pkg @ file:///tmp/pkg""#
        ),
        .text(
            "dependency that is an editable install",
            Doc.scope(#""environment": {"dependencies": ["-e ."]}"#),
            at: "environment.dependencies[0]",
            #"found the option "-e .""#
        ),
        .text(
            "dependency that is an archive",
            Doc.scope(#""environment": {"dependencies": ["evil-1.0.tar.gz"]}"#),
            at: "environment.dependencies[0]",
            #"found the archive file name "evil-1.0.tar.gz""#
        ),
        .text(
            "service ready with two probes",
            Doc.ready(#""http": "http://127.0.0.1:1/", "tcp": 1"#),
            at: "services[0].ready",
            #"expected exactly one probe, found "http" and "tcp""#
        ),
        .text(
            "service ready with three probes",
            Doc.ready(#""http": "http://127.0.0.1:1/", "tcp": 1, "log": "x""#),
            at: "services[0].ready",
            #"found "http" and "tcp" and "log""#
        ),
        .text(
            "service ready with no probe",
            Doc.ready(#""timeout_seconds": 5"#),
            at: "services[0].ready",
            #"expected one probe: "http" (a URL), "tcp" (a port) or "log" (a regular expression)"#
        ),
        .text(
            "service ready is a string",
            Doc.service(#""name": "svc", "command": "x", "ready": "http://x""#),
            at: "services[0].ready",
            "expected an object"
        ),
        .text(
            "tcp port 70000",
            Doc.ready(#""tcp": 70000"#),
            at: "services[0].ready.tcp",
            "expected a port number from 1 to 65535, found 70000"
        ),
        .text("tcp port 0", Doc.ready(#""tcp": 0"#), at: "services[0].ready.tcp", "found 0"),
        .text("tcp port fraction", Doc.ready(#""tcp": 80.5"#), at: "services[0].ready.tcp", "found 80.5"),
        .text("tcp port string", Doc.ready(#""tcp": "80""#), at: "services[0].ready.tcp", #"found a string "80""#),
        .text(
            "http ftp URL",
            Doc.ready(#""http": "ftp://x""#),
            at: "services[0].ready.http",
            #"expected an http:// URL such as "http://127.0.0.1:3000/health", found "ftp://x""#
        ),
        .text(
            "http without host",
            Doc.ready(#""http": "http://""#),
            at: "services[0].ready.http",
            "expected an http:// URL"
        ),
        .text(
            "http not a URL",
            Doc.ready(#""http": "localhost:3000""#),
            at: "services[0].ready.http",
            "expected an http:// URL"
        ),
        .text(
            "invalid regex in log",
            Doc.ready(#""log": "ready (on port""#),
            at: "services[0].ready.log",
            #""ready (on port" is not a valid regular expression"#
        ),
        .text(
            "ready timeout zero",
            Doc.ready(#""tcp": 1, "timeout_seconds": 0"#),
            at: "services[0].ready.timeout_seconds",
            "expected a number of seconds > 0 and ≤ 3600, found 0"
        ),
        .text(
            "ready timeout too long",
            Doc.ready(#""tcp": 1, "timeout_seconds": 3601"#),
            at: "services[0].ready.timeout_seconds",
            "found 3601"
        ),
        .text(
            "duplicate service names",
            Doc.scope(#""services": [{"name": "db", "command": "a"}, {"name": "db", "command": "b"}]"#),
            at: "services[1].name",
            #"the service name "db" is used more than once"#
        ),
        .text(
            "service name with a space",
            Doc.service(#""name": "my db", "command": "a""#),
            at: "services[0].name",
            #""my db" is not a valid service name"#
        ),
        .text(
            "service name with a colon",
            Doc.service(#""name": "db:1", "command": "a""#),
            at: "services[0].name",
            "is not a valid service name"
        ),
        .text(
            "service without command",
            Doc.service(#""name": "db""#),
            at: "services[0].command",
            #"required field "command" is missing"#
        ),
        .text(
            "service without name",
            Doc.service(#""command": "x""#),
            at: "services[0].name",
            #"required field "name" is missing"#
        ),
        .text(
            "duplicate top-level keys",
            #"{"scope_id": "a", "scope_id": "b", "scenarios": [{"id": "A", "command": "x"}]}"#,
            at: "scope_id",
            #"the member "scope_id" appears more than once in the same object"#,
            location: TaaSCore.SourceLocation(line: 1, column: 19)
        ),
        .text(
            "duplicate keys in a scenario",
            Doc.scenario(#""command": "x", "command": "y""#),
            at: "scenarios[0].command",
            "appears more than once"
        ),
        .text(
            "duplicate keys in env",
            Doc.scope(#""environment": {"env": {"A": "1", "A": "2"}}"#),
            at: "environment.env.A",
            "appears more than once"
        ),
    ]

    static let syntax: [InvalidScopeCase] = [
        .text(
            "missing comma on line 3",
            "{\n  \"scope_id\": \"s\",\n  \"description\": \"x\" \"scenarios\": []\n}",
            at: "$",
            #"not valid JSON: unexpected '"': expected ',' or '}'"#,
            location: TaaSCore.SourceLocation(line: 3, column: 22)
        ),
        .text(
            "missing comma between array elements",
            "{\n\"scope_id\": \"s\",\n\"scenarios\": [\n{\"id\": \"A\", \"command\": \"x\"}\n{\"id\": \"B\"}]}",
            at: "$",
            "expected ',' or ']'",
            location: TaaSCore.SourceLocation(line: 5, column: 1)
        ),
        .text(
            "trailing comma",
            #"{"scope_id": "s", "scenarios": [{"id": "A", "command": "x"},]}"#,
            at: "$",
            "unexpected ']': expected a value",
            location: TaaSCore.SourceLocation(line: 1, column: 61)
        ),
        .text(
            "single quotes",
            "{'scope_id': 's'}",
            at: "$",
            "expected a member name in double quotes",
            location: TaaSCore.SourceLocation(line: 1, column: 2)
        ),
        .text(
            "unclosed string",
            "{\"scope_id\": \"s\n}",
            at: "$",
            "a string is not closed before the end of the line",
            location: TaaSCore.SourceLocation(line: 1, column: 16)
        ),
        .text("unclosed object", #"{"scope_id": "s""#, at: "$", "unexpected end of the document: expected ',' or '}'"),
        .text(
            "empty document",
            "",
            at: "$",
            "unexpected end of the document: expected a value",
            location: TaaSCore.SourceLocation(line: 1, column: 1)
        ),
        .text("whitespace only", "  \n ", at: "$", "unexpected end of the document"),
        .text("trailing garbage", Doc.scope() + " x", at: "$", "unexpected 'x' after the end of the document"),
        .text(
            "two documents",
            Doc.scope() + "\n" + Doc.scope(),
            at: "$",
            "after the end of the document",
            location: TaaSCore.SourceLocation(line: 2, column: 1)
        ),
        .text("top-level array", "[" + Doc.scope() + "]", at: "$", "expected an object, found an array"),
        .text("top-level string", #""scope""#, at: "$", #"expected an object, found a string "scope""#),
        .text("misspelt literal", Doc.scope(#""description": nul"#), at: "$", "did you mean null?"),
        .text(
            "NaN",
            Doc.scenario(#""command": "x", "timeout_seconds": NaN"#),
            at: "$",
            "unexpected 'N': expected a value"
        ),
        .text(
            "leading zero",
            Doc.scenario(#""command": "x", "timeout_seconds": 060"#),
            at: "$",
            "a number may not start with a leading zero"
        ),
        .text(
            "comment",
            "{\n// a comment\n\"scope_id\": \"s\"}",
            at: "$",
            "unexpected '/'",
            location: TaaSCore.SourceLocation(line: 2, column: 1)
        ),
        .bytes(
            "NUL byte inside a string",
            {
                Data(#"{"scope_id": "a"#.utf8) + Data([0])
                    + Data(#"b", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            at: "$",
            "control character NUL in a string"
        ),
        .bytes(
            "tab inside a string",
            { Data("{\"scope_id\": \"a\tb\", \"scenarios\": []}".utf8) },
            at: "$",
            "control character 0x09 in a string"
        ),
        .bytes(
            "invalid UTF-8 in a string",
            {
                Data(#"{"scope_id": "a"#.utf8) + Data([0xC3, 0x28])
                    + Data(#"", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            at: "$",
            "invalid UTF-8 in a string"
        ),
        .bytes(
            "lone continuation byte in a string",
            {
                Data(#"{"scope_id": "s", "description": ""#.utf8) + Data([0x80])
                    + Data(#"", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            at: "$",
            "invalid UTF-8 in a string"
        ),
        .bytes(
            "UTF-16 encoded document",
            { Data(#"{"scope_id": "s"}"#.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) },
            at: "$",
            "not valid JSON"
        ),
        .bytes(
            "invalid byte outside a string",
            { Data([0xFF]) + Data(Doc.scope().utf8) },
            at: "$",
            "unexpected byte 0xFF"
        ),
        .text(
            "nesting 100 levels deep",
            Doc.scope(#""description": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)),
            at: "$",
            "arrays and objects are nested more than 64 levels deep"
        ),
        .text(
            "nesting 100 objects deep",
            String(repeating: #"{"a": "#, count: 100) + "1" + String(repeating: "}", count: 100),
            at: "$",
            "nested more than 64 levels deep"
        ),
        .bytes(
            "a 20 MB document",
            {
                Data(#"{"scope_id": "s", "description": ""#.utf8)
                    + Data(repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024)
                    + Data(#"", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            at: "$",
            "at most 16777216 are accepted"
        ),
    ]

    private func check(_ testCase: InvalidScopeCase) {
        let result = ScopeReader.read(testCase.document())
        #expect(!result.isValid, "\(testCase.name) should be invalid")
        #expect(result.scope == nil)
        let matching = result.issues.filter {
            $0.severity == .error && $0.path.description == testCase.path && $0.message.contains(testCase.fragment)
        }
        #expect(
            !matching.isEmpty,
            "no error at \(testCase.path) containing \(testCase.fragment); issues: \(result.issues)"
        )
        if let hint = testCase.hint {
            #expect(matching.contains { $0.hint == hint }, "expected hint \(hint); issues: \(result.issues)")
        }
        if let location = testCase.location {
            #expect(matching.contains { $0.location == location }, "expected \(location); issues: \(result.issues)")
        }
    }

    @Test(arguments: wrongTypes)
    func wrongTypesAreErrors(_ testCase: InvalidScopeCase) { check(testCase) }

    @Test(arguments: structure)
    func structuralProblemsAreErrors(_ testCase: InvalidScopeCase) { check(testCase) }

    @Test(arguments: syntax)
    func syntaxProblemsAreASingleErrorAtTheRoot(_ testCase: InvalidScopeCase) {
        check(testCase)
        let result = ScopeReader.read(testCase.document())
        #expect(result.issues.count == 1, "\(result.issues)")
    }

    @Test func theSizeLimitIsInclusiveAndConfigurable() {
        var limits = JSONParser.Limits()
        let text = Doc.scope()
        limits.maximumBytes = text.utf8.count
        #expect(ScopeReader.read(Data(text.utf8), limits: limits).isValid)
        limits.maximumBytes = text.utf8.count - 1
        let result = ScopeReader.read(Data(text.utf8), limits: limits)
        #expect(!result.isValid)
        #expect(
            result.issues.first?.message
                == "not valid JSON: the document is \(text.utf8.count) bytes; at most \(text.utf8.count - 1) are accepted"
        )
    }

    @Test func theDepthLimitIsConfigurable() {
        var limits = JSONParser.Limits()
        limits.maximumDepth = 3
        #expect(ScopeReader.read(Data(Doc.scope().utf8), limits: limits).isValid)  // object > array > object
        limits.maximumDepth = 2
        let result = ScopeReader.read(Data(Doc.scope().utf8), limits: limits)
        #expect(
            result.issues.map(\.message) == ["not valid JSON: arrays and objects are nested more than 2 levels deep"]
        )
    }
}
