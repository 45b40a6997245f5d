import FlotillaKit

/// Where blobs are kept (`FILES_STORE`): on the volume at `FILES_STORAGE_PATH`, or in a bucket
/// of an S3-compatible object store (`FILES_S3_*`), signed with AWS SigV4.
enum BlobStoreChoice: String, CaseIterable, Sendable {
    case volume
    case s3
}

/// The object store's settings, read when `FILES_STORE=s3`.
struct ObjectStoreConfiguration: Sendable {
    /// The store's base URL (`FILES_S3_ENDPOINT`), e.g. `https://s3.eu-west-1.amazonaws.com` or
    /// `http://minio:9000`; objects are addressed path-style, `<endpoint>/<bucket>/<key>`.
    var endpoint: String
    /// `FILES_S3_BUCKET`; it must exist.
    var bucket: String
    /// Prefix of every key (`FILES_S3_PREFIX`, none; a `/` is added), so several installations can share a bucket.
    var keyPrefix: String
    /// `FILES_S3_REGION` (us-east-1), `FILES_S3_ACCESS_KEY_ID`, `FILES_S3_SECRET_ACCESS_KEY` (from a Secret).
    var signing: AWSSigV4
    /// Per-request limit of small calls (`FILES_S3_TIMEOUT_SECONDS`, 30); transfers have the idle limit instead.
    var timeout: Duration

    init?(environment: inout EnvironmentReader) {
        let endpoint = environment.raw("FILES_S3_ENDPOINT")
        let bucket = environment.raw("FILES_S3_BUCKET")
        let key = environment.raw("FILES_S3_ACCESS_KEY_ID")
        let secret = environment.raw("FILES_S3_SECRET_ACCESS_KEY")
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            environment.record("FILES_S3_ENDPOINT", endpoint, "an http:// or https:// URL of the object store")
        }
        if endpoint == nil { environment.record("FILES_S3_ENDPOINT", nil, "the object store's URL, required with FILES_STORE=s3") }
        if bucket == nil { environment.record("FILES_S3_BUCKET", nil, "the bucket's name, required with FILES_STORE=s3") }
        if key == nil { environment.record("FILES_S3_ACCESS_KEY_ID", nil, "an access key id, required with FILES_STORE=s3") }
        if secret == nil { environment.record("FILES_S3_SECRET_ACCESS_KEY", nil, "the access key's secret, required with FILES_STORE=s3") }
        guard let endpoint, let bucket, let key, let secret else { return nil }
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        let prefix = environment.string("FILES_S3_PREFIX", default: "")
        if !prefix.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0)) }) {
            environment.record("FILES_S3_PREFIX", prefix, "letters, digits and - _ . / only")
        }
        keyPrefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        signing = AWSSigV4(region: environment.string("FILES_S3_REGION", default: "us-east-1"), accessKeyID: key, secretAccessKey: secret)
        timeout = environment.seconds("FILES_S3_TIMEOUT_SECONDS", default: .seconds(30), in: 1...600)
    }
}
