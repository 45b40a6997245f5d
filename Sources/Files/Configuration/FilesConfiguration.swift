import FlotillaKit

/// The files service's settings, from the environment: the kit's shared ones (it calls the
/// owners of what files attach to, `tasks` and `projects`), then its own.
struct FilesConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// Where blobs live (`FILES_STORE`: `volume`, the default, or `s3`).
    var store: BlobStoreChoice
    /// The volume (`FILES_STORAGE_PATH`, `/tmp/flotilla-files`; a PersistentVolumeClaim in the
    /// chart): the blobs themselves with `volume`, only uploads in transit with `s3`.
    var storagePath: String
    /// The object store, with `FILES_STORE=s3`.
    var objectStore: ObjectStoreConfiguration?
    /// The largest upload in bytes (`FILES_MAX_UPLOAD_BYTES`, 1 GiB); tus uploads too.
    var maxUploadBytes: Int64
    /// Quotas in bytes over every kept version (`FILES_USER_QUOTA_BYTES`,
    /// `FILES_PROJECT_QUOTA_BYTES`; 0, the default, is none).
    var userQuotaBytes: Int64
    var projectQuotaBytes: Int64
    /// Versions kept per file (`FILES_KEEP_VERSIONS`, 10).
    var keepVersions: Int
    /// Content types accepted (`FILES_ALLOWED_TYPES`, comma-separated).
    var allowedTypes: Set<String>
    /// How long an unreferenced blob survives (`FILES_GC_GRACE_SECONDS`, 3600) and how often
    /// the collector looks (`FILES_GC_INTERVAL_SECONDS`, 300).
    var collectorGrace: Duration
    var collectorInterval: Duration
    /// How long an unfinished tus upload may wait for its next chunk (`FILES_UPLOAD_EXPIRY_SECONDS`, 86400).
    var uploadExpiry: Duration
    /// How long an owner's answer about a caller's access may be served from Redis
    /// (`FILES_ACCESS_TTL_SECONDS`, 60).
    var accessTTL: Duration
    /// scrypt cost of share-link passwords (`FILES_LINK_PASSWORD_LOG_N`, 15).
    var linkPasswordLogN: Int
    /// Prefix of the service's Redis keys (`FILES_REDIS_PREFIX`).
    var redisKeyPrefix: String

    static let defaultAllowedTypes = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv", "text/markdown", "application/json",
        "application/zip", "application/gzip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: FilesApp.identity, calls: ["projects", "tasks"], environment: &environment)
        store = environment.choice("FILES_STORE", default: .volume)
        storagePath = environment.string("FILES_STORAGE_PATH", default: "/tmp/flotilla-files")
        objectStore = store == .s3 ? ObjectStoreConfiguration(environment: &environment) : nil
        maxUploadBytes = Int64(environment.integer("FILES_MAX_UPLOAD_BYTES", default: 1 << 30, in: 1024...(1 << 40)))
        userQuotaBytes = Int64(environment.integer("FILES_USER_QUOTA_BYTES", default: 0, in: 0...(1 << 50)))
        projectQuotaBytes = Int64(environment.integer("FILES_PROJECT_QUOTA_BYTES", default: 0, in: 0...(1 << 50)))
        keepVersions = environment.integer("FILES_KEEP_VERSIONS", default: 10, in: 1...1000)
        let types = environment.string("FILES_ALLOWED_TYPES", default: Self.defaultAllowedTypes.joined(separator: ","))
        allowedTypes = Set(types.split(separator: ",").map { String($0).lowercased() })
        collectorGrace = environment.seconds("FILES_GC_GRACE_SECONDS", default: .seconds(3600), in: 0...(30 * 86_400))
        collectorInterval = environment.seconds("FILES_GC_INTERVAL_SECONDS", default: .seconds(300), in: 0.1...86_400)
        uploadExpiry = environment.seconds("FILES_UPLOAD_EXPIRY_SECONDS", default: .seconds(86_400), in: 1...(30 * 86_400))
        accessTTL = environment.seconds("FILES_ACCESS_TTL_SECONDS", default: .seconds(60), in: 0.05...86_400)
        linkPasswordLogN = environment.integer("FILES_LINK_PASSWORD_LOG_N", default: 15, in: 10...20)
        redisKeyPrefix = environment.string("FILES_REDIS_PREFIX", default: "flotilla:files:")
    }
}
