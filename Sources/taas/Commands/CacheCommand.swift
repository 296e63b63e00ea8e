import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity

/// `taas cache ls|clear`: the verdict cache of `taas run --cache`.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the verdict cache (taas run --cache).",
        subcommands: [List.self, Clear.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "The cache folder (default: TAAS_CACHE_DIR, or a per-user cache).")
        var cacheDir: String?

        var cache: VerdictCache {
            let root = cacheDir.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? CacheLocation.default
            return VerdictCache(root: root.appendingPathComponent(CacheLocation.verdictsFolder))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the stored verdicts.")

        @OptionGroup var location: Location

        func run() {
            let entries = location.cache.entries()
            if entries.isEmpty {
                print("the verdict cache is empty (\(location.cache.root.path))")
                return
            }
            for entry in entries {
                let stored = entry.storedAt.formatted(.iso8601)
                print(
                    "\(entry.key.prefix(19))  \(entry.verdict.rawValue.uppercased())  \(entry.scopeID)  run \(entry.runID)  \(stored)"
                )
            }
            print("\(entries.count) verdict(s) in \(location.cache.root.path)")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every stored verdict.")

        @OptionGroup var location: Location

        func run() throws {
            do {
                let count = try location.cache.clear()
                print("removed \(count) verdict(s) from \(location.cache.root.path)")
            } catch {
                throw CommandOutcome.error("taas: \(error.message)")
            }
        }
    }
}
