/// Credentials for signing requests with AWS Signature Version 4, as S3 and the object stores
/// that speak its protocol (MinIO, Ceph, R2) require. libcurl computes the signature
/// (`CURLOPT_AWS_SIGV4`) at send time, so every attempt of a retried call is signed afresh.
/// The secret never appears in a description or a log line.
public struct AWSSigV4: Sendable, CustomStringConvertible {
    /// e.g. `us-east-1`.
    public var region: String
    /// e.g. `s3`.
    public var service: String
    public var accessKeyID: String
    public var secretAccessKey: String

    public init(region: String, service: String = "s3", accessKeyID: String, secretAccessKey: String) {
        self.region = region
        self.service = service
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// libcurl's provider string: `aws:amz:<region>:<service>`.
    var curlProvider: String { "aws:amz:\(region):\(service)" }

    /// The SHA-256 of an empty payload, the `x-amz-content-sha256` of a bodiless request.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var description: String { "AWSSigV4(\(curlProvider), key \(accessKeyID), secret redacted)" }
}
