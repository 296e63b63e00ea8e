import TaaSCore

extension RunnerRegistry {
    /// Every runner built into `taas`: the test runners an `execution` may name (see
    /// ``RunnerCatalog/knownNames``) and the runners of `command` and `http` scenarios.
    public static var standard: RunnerRegistry {
        RunnerRegistry([
            ToolRunner(.pytest), ToolRunner(.unittest), ToolRunner(.swift), ToolRunner(.go), ToolRunner(.cargo),
            ToolRunner(.node), ToolRunner(.junit), CommandRunner(), HTTPRunner(),
        ])
    }
}
