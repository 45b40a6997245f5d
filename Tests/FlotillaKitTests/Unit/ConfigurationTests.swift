import Logging
import Testing

@testable import FlotillaKit

@Suite("Configuration from the environment")
struct ConfigurationTests {
    let identity = ServiceIdentity(name: "catalog", version: "1.2.3", defaultPort: 3015)

    func load(_ variables: [String: String]) -> (ServiceConfiguration, EnvironmentReader) {
        var environment = EnvironmentReader(variables)
        let configuration = ServiceConfiguration(identity: identity, environment: &environment)
        return (configuration, environment)
    }

    @Test func defaultsWorkWithAnEmptyEnvironment() throws {
        let (configuration, environment) = load([:])
        try environment.validate()
        #expect(configuration.port == 3015)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .json)
        #expect(configuration.drainDelay == .seconds(5))
        #expect(configuration.shutdownTimeout == .seconds(20))
        #expect(configuration.maxBodyBytes == 1_048_576)
        #expect(configuration.releaseID == "1.2.3")
    }

    @Test func readsEveryCommonSetting() throws {
        let (configuration, environment) = load([
            "HOST": "127.0.0.1", "PORT": "9000", "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "pretty",
            "SHUTDOWN_DRAIN_SECONDS": "2.5", "SHUTDOWN_TIMEOUT_SECONDS": "7", "MAX_BODY_BYTES": "4096",
            "RELEASE_ID": "2026.11.21-abc",
        ])
        try environment.validate()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9000)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .pretty)
        #expect(configuration.drainDelay == .milliseconds(2500))
        #expect(configuration.shutdownTimeout == .seconds(7))
        #expect(configuration.maxBodyBytes == 4096)
        #expect(configuration.releaseID == "2026.11.21-abc")
    }

    @Test func blankValuesMeanTheDefault() throws {
        let (configuration, environment) = load(["PORT": "  ", "LOG_LEVEL": ""])
        try environment.validate()
        #expect(configuration.port == 3015)
        #expect(configuration.logLevel == .info)
    }

    @Test(arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("LOG_LEVEL", "loud"), ("LOG_FORMAT", "xml"),
        ("SHUTDOWN_DRAIN_SECONDS", "-1"), ("SHUTDOWN_TIMEOUT_SECONDS", "soon"), ("MAX_BODY_BYTES", "12"),
    ])
    func anInvalidValueIsNamed(_ variable: String, _ value: String) {
        let (_, environment) = load([variable: value])
        #expect(throws: ConfigurationError.self) { try environment.validate() }
        #expect(environment.problems.map(\.variable) == [variable])
        let message = ConfigurationError(problems: environment.problems).description
        #expect(message.contains("\(variable)=\"\(value)\""))
        #expect(message.contains("expected"))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let (_, environment) = load(["PORT": "x", "LOG_FORMAT": "xml", "MAX_BODY_BYTES": "big"])
        #expect(environment.problems.map(\.variable) == ["PORT", "LOG_FORMAT", "MAX_BODY_BYTES"])
        #expect(environment.problems[1].expected == "one of json, pretty")
    }

    @Test func booleansAcceptCommonSpellings() throws {
        var environment = EnvironmentReader(["A": "yes", "B": "0", "C": "perhaps"])
        let a = environment.boolean("A", default: false)
        let b = environment.boolean("B", default: true)
        let c = environment.boolean("C", default: true)
        #expect(a)
        #expect(!b)
        #expect(c)
        #expect(environment.problems.map(\.variable) == ["C"])
    }
}
