import Foundation
import TaaSShiftRight
import Testing

@Suite struct RouteTemplateTests {
    @Test(arguments: [
        ("/reports/17", "/reports/{id}"),
        ("/reports/42?x=1", "/reports/{id}"),
        ("http://shop.example:8080/orders/1/items/2", "/orders/{id}/items/{id}"),
        ("/users/3f2a9c1b-0e6d-4c1a-9a57-4a1f0e7b2c3d/cart", "/users/{id}/cart"),
        ("/users/3F2A9C1B0E6D4C1A9A574A1F0E7B2C3D", "/users/{id}"),
        ("/commits/5f3c2a9b1d7e8f90", "/commits/{id}"),
        ("/objects/507f1f77bcf86cd799439011", "/objects/{id}"),
        ("/sessions/01HF3K8Z9Q2W4E6R8T0Y2U4I6O", "/sessions/{id}"),
        ("/days/2026-12-01", "/days/{id}"),
        ("/api/v1/health", "/api/v1/health"),
        ("/hash/sha256", "/hash/sha256"),
        ("/reports/", "/reports"),
        ("/", "/"),
        ("", "/"),
        ("/orders/deadbeef", "/orders/deadbeef"),
    ])
    func pathsBecomeRoutes(path: String, route: String) {
        #expect(RouteTemplate.route(of: path) == route)
    }

    @Test func signaturesNameTheStatusClassAndTheExceptionTypeWithoutNumbersOrIds() {
        func exchange(_ status: Int?, _ error: String? = nil) -> RecordedExchange {
            RecordedExchange(
                method: "GET",
                url: "/x",
                response: status.map { RecordedResponse(status: $0) },
                error: error,
                source: RecordingSource(file: "f", unit: "line", position: 1)
            )
        }
        #expect(ErrorSignature.of(exchange(500)) == "5xx")
        #expect(ErrorSignature.of(exchange(503)) == "5xx")
        #expect(ErrorSignature.of(exchange(nil)) == "no answer")
        #expect(ErrorSignature.of(exchange(500, "ZeroDivisionError: division by zero")) == "5xx ZeroDivisionError")
        #expect(ErrorSignature.of(exchange(nil, "KeyError: 'order 17'")) == "KeyError")
        #expect(
            ErrorSignature.of(exchange(500, "java.lang.IllegalStateException: order 42 is closed"))
                == "5xx java.lang.IllegalStateException"
        )
        let traceback = """
            Traceback (most recent call last):
              File "/srv/app.py", line 12, in report
                return 1 / 0
            ZeroDivisionError: division by zero
            """
        #expect(ErrorSignature.of(exchange(500, traceback)) == "5xx ZeroDivisionError")
        #expect(
            ErrorSignature.of(
                exchange(502, "upstream timed out after 3000 ms talking to 10.0.0.7 for order 5f3c2a9b1d7e")
            )
                == "5xx upstream timed out after N ms talking to N.N for order {id}"
        )
        #expect(
            ErrorSignature.of(exchange(500, "could not load 3f2a9c1b-0e6d-4c1a-9a57-4a1f0e7b2c3d"))
                == ErrorSignature.of(exchange(500, "could not load 0e6d3f2a-9c1b-4c1a-9a57-4a1f0e7b2c3d"))
        )
        #expect(ErrorSignature.isIncident(exchange(404)) == false)
        #expect(ErrorSignature.isIncident(exchange(200, "RuntimeError: x")))
        #expect(ErrorSignature.isIncident(exchange(nil)))
    }

    @Test func incidentIdsAreStableAndDerivedFromTheSignature() {
        let id = Incident.id(method: "GET", route: "/reports/{id}", signature: "5xx")
        #expect(id == Incident.id(method: "GET", route: "/reports/{id}", signature: "5xx"))
        #expect(id != Incident.id(method: "GET", route: "/reports/{id}", signature: "no answer"))
        #expect(id.wholeMatch(of: /INC-[0-9a-f]{8}/) != nil, "\(id)")
    }
}
