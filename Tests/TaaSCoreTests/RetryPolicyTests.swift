import Foundation
import TaaSCore
import Testing

@Suite struct RetryPolicyTests {
    @Test(arguments: [(1, 2), (2, 4), (3, 6), (10, 20)])
    func linearIsBaseTimesN(failed: Int, seconds: Int) {
        let policy = RetryPolicy(attempts: 20, backoff: .linear, delay: .seconds(2))
        #expect(policy.delay(afterFailedAttempts: failed) == .seconds(seconds))
    }

    @Test(arguments: [(1, 500), (2, 1000), (3, 2000), (4, 4000), (5, 8000), (11, 512_000)])
    func exponentialIsBaseTimesTwoToTheNMinusOne(failed: Int, milliseconds: Int) {
        let policy = RetryPolicy(attempts: 20, backoff: .exponential, delay: .milliseconds(500))
        #expect(policy.delay(afterFailedAttempts: failed) == .milliseconds(milliseconds))
    }

    @Test(arguments: [1, 2, 3, 50])
    func fixedIsAlwaysTheBase(failed: Int) {
        let policy = RetryPolicy(attempts: 100, backoff: .fixed, delay: .milliseconds(1500))
        #expect(policy.delay(afterFailedAttempts: failed) == .milliseconds(1500))
    }

    @Test(arguments: [1, 2, 3, 50])
    func noneNeverWaits(failed: Int) {
        let policy = RetryPolicy(attempts: 100, backoff: .none, delay: .seconds(5))
        #expect(policy.delay(afterFailedAttempts: failed) == .zero)
    }

    @Test(arguments: RetryPolicy.Backoff.allCases)
    func zeroBaseDelayNeverWaits(backoff: RetryPolicy.Backoff) {
        let policy = RetryPolicy(attempts: 5, backoff: backoff, delay: .zero)
        #expect((1...5).allSatisfy { policy.delay(afterFailedAttempts: $0) == .zero })
    }

    @Test(arguments: [0, -3])
    func fewerThanOneFailedAttemptCountsAsOne(failed: Int) {
        #expect(RetryPolicy(backoff: .linear, delay: .seconds(3)).delay(afterFailedAttempts: failed) == .seconds(3))
        #expect(
            RetryPolicy(backoff: .exponential, delay: .seconds(3)).delay(afterFailedAttempts: failed) == .seconds(3)
        )
    }

    @Test func exponentialGrowthIsCappedAndDoesNotOverflow() {
        let policy = RetryPolicy(attempts: 100, backoff: .exponential, delay: .seconds(1))
        #expect(policy.delay(afterFailedAttempts: 21) == .seconds(1 << 20))
        #expect(policy.delay(afterFailedAttempts: 100) == .seconds(1 << 20))
    }

    @Test func defaults() {
        let policy = RetryPolicy()
        #expect(policy.attempts == 1)
        #expect(policy.backoff == .none)
        #expect(policy.delay == .seconds(1))
    }

    @Test func backoffNamesAreTheContractSpelling() {
        #expect(RetryPolicy.Backoff.allCases.map(\.rawValue) == ["none", "fixed", "linear", "exponential"])
    }

    @Test func validatorDelaysMatchThePolicy() throws {
        let text = Doc.scenario(
            #""command": "x", "retry_policy": {"attempts": 4, "backoff": "linear", "delay_seconds": 1.5}"#
        )
        let policy = try #require(readScope(text).scope?.scenarios.first?.retryPolicy)
        #expect(
            (1...3).map { policy.delay(afterFailedAttempts: $0) } == [
                .milliseconds(1500), .seconds(3), .milliseconds(4500),
            ]
        )
    }
}
