"""Unit tests for gateway.core (plain pytest, no plugins)."""

import pytest

from gateway.core import TokenBucket, match_route, normalize_headers, validate_request

ROUTES = {
    "/api": "http://api",
    "/api/users": "http://users",
    "/static/": "http://static",
}


class FakeClock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


def test_normalize_headers_lowercases_and_strips():
    assert normalize_headers({" Content-Type ": " application/json ", "X-Id": "7"}) == {
        "content-type": "application/json",
        "x-id": "7",
    }


def test_match_route_prefers_longest_prefix():
    assert match_route("/api/users/42", ROUTES) == "http://users"
    assert match_route("/api/orders", ROUTES) == "http://api"


def test_match_route_respects_segment_boundaries():
    assert match_route("/api/usersettings", ROUTES) == "http://api"
    assert match_route("/apiary", ROUTES) is None


def test_match_route_ignores_query_and_trailing_slash_in_prefix():
    assert match_route("/static/app.js?v=3", ROUTES) == "http://static"
    assert match_route("/static", ROUTES) == "http://static"


def test_match_route_catch_all_and_no_match():
    assert match_route("/anything", {"/": "http://default"}) == "http://default"
    assert match_route("/nothing", {}) is None


def test_validate_request_accepts_valid_requests():
    assert validate_request("GET", "/api/users", {}) == []
    assert validate_request("post", "/api/users", {"Content-Type": "application/json"}) == []


@pytest.mark.parametrize(
    "method, path, headers, fragment",
    [
        ("TRACE", "/api", {}, "method not allowed"),
        ("GET", "api", {}, "must start with '/'"),
        ("GET", "/api/../etc/passwd", {}, "traversal"),
        ("POST", "/api/users", {}, "content-type"),
    ],
)
def test_validate_request_reports_problems(method, path, headers, fragment):
    errors = validate_request(method, path, headers)
    assert len(errors) == 1
    assert fragment in errors[0]


def test_token_bucket_allows_up_to_capacity_then_blocks():
    bucket = TokenBucket(capacity=3, refill_rate=1, clock=FakeClock())
    assert [bucket.allow() for _ in range(4)] == [True, True, True, False]


def test_token_bucket_refills_over_time_but_not_beyond_capacity():
    clock = FakeClock()
    bucket = TokenBucket(capacity=2, refill_rate=0.5, clock=clock)
    assert bucket.allow(2)
    assert not bucket.allow()
    clock.now = 2.0  # 2 s * 0.5 tokens/s = 1 token
    assert bucket.allow()
    assert not bucket.allow()
    clock.now = 100.0
    assert bucket.tokens == pytest.approx(2.0)


def test_token_bucket_rejects_invalid_configuration():
    with pytest.raises(ValueError):
        TokenBucket(capacity=0, refill_rate=1)
    with pytest.raises(ValueError):
        TokenBucket(capacity=1, refill_rate=-1)
