import Foundation
import TaaSCore
import Testing

/// `environment.dependencies` takes PEP 508 requirement specifiers by name only: pip runs on the host
/// as root, and a path, a URL or an option would make it build (and run) code from elsewhere.
@Suite struct RequirementSpecifierTests {
    static let accepted = [
        "pytest", "requests>=2", "requests >= 2, < 3", "requests[socks]", "requests[socks, security]>=2.31",
        "Django==4.2.*", "zope.interface", "foo_bar-baz", "a", "pkg~=1.4.2", "pkg!=1.0", "pkg===1.0-local",
        "pkg (>=1.0, <2)", "pkg; python_version >= \"3.9\"",
        "pkg>=1 ; sys_platform == 'linux' and python_version < '3.13'",
        "pkg; (os_name == 'posix' or os_name == 'nt') and extra == 'test'", "pkg; 'linux' in sys_platform",
        "pkg; platform_machine not in 'arm64 aarch64'", "  pytest  ", "pkg==1!2.0+abc.1", "pkg==2.0rc1.post1.dev3",
    ]

    static let rejected: [(String, String)] = [
        ("./pkg", "path"), ("../pkg", "path"), ("/opt/pkg", "path"), ("pkg/sub", "path"), ("~/pkg", "path"),
        ("C:\\pkg", "path"), ("pkg @ file:///tmp/pkg", "URL"), ("pkg@https://host.invalid/pkg.whl", "URL"),
        ("pkg @ ./local", "direct reference"), ("file:pkg", "URL"), ("git+https://host.invalid/x.git", "URL"),
        ("-e .", "option"), ("--index-url=http://127.0.0.1/", "option"), ("-r requirements.txt", "option"),
        (" --find-links /tmp pkg", "option"), ("pkg.tar.gz", "archive"), ("pkg-1.0-py3-none-any.whl", "archive"),
        ("pkg.zip", "archive"), ("pkg.tgz", "archive"), ("pkg --no-binary :all:", "more than"),
        ("pkg >= 1 --hash=sha256:0", "more than"), ("pkg[", "extras"), ("pkg[a b]", "extras"), ("pkg==", "version"),
        ("pkg=>1", "version"), ("pkg (>=1", "version"), ("pkg; rm -rf /", "path"), ("pkg; os_name", "markers"),
        ("pkg; os_name == 'x' and", "markers"), ("pkg; shell == 'x'", "markers"), ("pkg; os_name == 'x", "markers"),
        ("_pkg", "package name"), ("pkg_", "package name"), ("", "package name"), ("pkg pkg2", "more than"),
        ("pkg\u{0}", "more than"), ("pkg ; os_name == 'x' )", "markers"),
    ]

    @Test(arguments: accepted)
    func acceptsARequirementByName(_ specifier: String) {
        #expect(RequirementSpecifier.problem(specifier) == nil)
    }

    @Test(arguments: zip(rejected.map { $0.0 }, rejected.map { $0.1 }))
    func refusesAnythingElse(_ specifier: String, _ fragment: String) {
        let problem = RequirementSpecifier.problem(specifier)
        #expect(problem?.contains(fragment) == true, "\(specifier): \(problem ?? "accepted")")
    }

    /// The schema's pattern for `dependencies` items agrees with the reader on every accepted
    /// specifier, and on the paths, URLs, references and options it refuses.
    @Test func theSchemaPatternAgreesWithTheReader() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(TestScopeSchema.json.utf8)) as? [String: Any]
        let environment = (schema?["properties"] as? [String: Any])?["environment"] as? [String: Any]
        let dependencies = (environment?["properties"] as? [String: Any])?["dependencies"] as? [String: Any]
        let pattern = try #require((dependencies?["items"] as? [String: Any])?["pattern"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for specifier in Self.accepted { #expect(matches(specifier), "\(specifier)") }
        for (specifier, kind) in Self.rejected where ["path", "URL", "direct reference", "option"].contains(kind) {
            #expect(!matches(specifier), "\(specifier)")
        }
    }
}
