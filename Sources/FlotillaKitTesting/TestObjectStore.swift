/// The S3-compatible object store `scripts/test-deps start` runs on loopback (moto's server,
/// signatures checked), with one bucket and an access key allowed to use it.
public enum TestObjectStore {
    /// The variables a service reads to keep its objects there under `prefix`, with `variablePrefix`
    /// naming them (`FILES_S3_` gives `FILES_S3_ENDPOINT`, `FILES_S3_BUCKET`, …).
    public static func environment(variablePrefix: String, keyPrefix: String) throws -> [String: String] {
        [
            variablePrefix + "ENDPOINT": try MissingTestDependency.require("FLOTILLA_TEST_S3_ENDPOINT"),
            variablePrefix + "BUCKET": try MissingTestDependency.require("FLOTILLA_TEST_S3_BUCKET"),
            variablePrefix + "ACCESS_KEY_ID": try MissingTestDependency.require("FLOTILLA_TEST_S3_ACCESS_KEY_ID"),
            variablePrefix + "SECRET_ACCESS_KEY": try MissingTestDependency.require("FLOTILLA_TEST_S3_SECRET_ACCESS_KEY"),
            variablePrefix + "PREFIX": keyPrefix,
        ]
    }
}
