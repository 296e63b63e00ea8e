import Foundation

/// What a replay does not count as a difference: the `--noise RULES.json` file, on top of the
/// built-in masks and the noise found by replaying each request twice.
///
/// ```json
/// {
///   "ignore": ["$.created_at", "$.items[*].id", "**.request_id"],
///   "masks": [{"name": "order-number", "pattern": "ORD-[0-9]+"}],
///   "default_masks": true,
///   "unordered": ["$.results"],
///   "headers": ["Content-Type", "Cache-Control"],
///   "auto_noise": true
/// }
/// ```
/// Every member is optional; see `docs/replay.md`.
public struct NoiseRules: Sendable {
    /// Paths whose values (and everything under them) are never compared.
    public var ignore: [JSONPathPattern]
    /// Masks applied to string values and header values before they are compared (the built-in
    /// ones first, unless turned off).
    public var masks: [ValueMask]
    /// Arrays compared as multisets: their elements sorted before they are compared.
    public var unordered: [JSONPathPattern]
    /// The answer headers compared, by name (case-insensitive).
    public var headers: [String]
    /// Whether each request is sent twice and what differs between the two answers is noise.
    public var autoNoise: Bool

    /// Rules of the given members; the defaults are those of a replay without `--noise`.
    public init(
        ignore: [JSONPathPattern] = [],
        masks: [ValueMask] = ValueMask.defaults,
        unordered: [JSONPathPattern] = [],
        headers: [String] = ["Content-Type"],
        autoNoise: Bool = true
    ) {
        self.ignore = ignore
        self.masks = masks
        self.unordered = unordered
        self.headers = headers
        self.autoNoise = autoNoise
    }

    /// The rules of a replay without `--noise`: the built-in masks, `Content-Type`, automatic noise.
    public static var standard: NoiseRules { NoiseRules() }

    /// The file's members, as written.
    private struct File: Decodable {
        struct Mask: Decodable {
            var name: String?
            var pattern: String
        }
        var ignore: [String]?
        var masks: [Mask]?
        var defaultMasks: Bool?
        var unordered: [String]?
        var headers: [String]?
        var autoNoise: Bool?

        enum CodingKeys: String, CodingKey {
            case ignore, masks, unordered, headers
            case defaultMasks = "default_masks"
            case autoNoise = "auto_noise"
        }
    }

    /// Reads rules from JSON.
    /// - Throws: ``ReplayError`` with code `noiseRules` naming the member that is wrong.
    public static func parse(_ data: Data, file: String = "the noise rules") throws(ReplayError) -> NoiseRules {
        let decoded: File
        do {
            decoded = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw ReplayError(
                .noiseRules,
                "\(file): not noise rules (\(error)); see docs/replay.md for the format"
            )
        }
        var rules = NoiseRules()
        do throws(ReplayError) {
            rules.ignore = []
            for text in decoded.ignore ?? [] { rules.ignore.append(try JSONPathPattern(text)) }
            rules.unordered = []
            for text in decoded.unordered ?? [] { rules.unordered.append(try JSONPathPattern(text)) }
            var own: [ValueMask] = []
            for (index, mask) in (decoded.masks ?? []).enumerated() {
                own.append(try ValueMask(name: mask.name ?? "masked-\(index + 1)", pattern: mask.pattern))
            }
            rules.masks = (decoded.defaultMasks ?? true ? ValueMask.defaults : []) + own
        } catch {
            throw ReplayError(.noiseRules, "\(file): \(error.message)")
        }
        if let headers = decoded.headers { rules.headers = headers }
        if let autoNoise = decoded.autoNoise { rules.autoNoise = autoNoise }
        return rules
    }

    /// Reads the rules file at `path`.
    /// - Throws: ``ReplayError`` with code `noiseRules` when it cannot be read or is wrong.
    public static func load(from path: String) throws(ReplayError) -> NoiseRules {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ReplayError(.noiseRules, "cannot read the noise rules \(path): \(error.localizedDescription)")
        }
        return try parse(data, file: path)
    }

    /// `text` with every mask applied.
    func masked(_ text: String) -> String {
        masks.reduce(text) { $1.apply($0) }
    }

    /// Whether `path` (or a parent of it) is ignored by these rules or by `noise`.
    func ignores(_ path: JSONPathSteps, noise: [JSONPathPattern]) -> Bool {
        ignore.contains { $0.matches(path) } || noise.contains { $0.matches(path) }
    }

    /// Whether the array at `path` is compared as a multiset.
    func isUnordered(_ path: JSONPathSteps) -> Bool {
        unordered.contains { $0.matchesExactly(path) }
    }
}
