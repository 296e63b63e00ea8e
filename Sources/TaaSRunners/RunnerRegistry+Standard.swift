import TaaSCore

extension RunnerRegistry {
    /// Every runner built into `taas`: the test runners an `execution` may name (see
    /// ``RunnerCatalog/knownNames``) and the runners of `command` and `http` scenarios.
    public static var standard: RunnerRegistry {
        RunnerRegistry([
            PytestRunner(), UnittestRunner(), SwiftRunner(), GoRunner(), CargoRunner(), NodeRunner(), JUnitFileRunner(),
            CommandRunner(), HTTPRunner(),
        ])
    }
}
