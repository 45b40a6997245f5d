import FlotillaKit

extension FilesConfiguration {
    /// The blob store these settings name (`FILES_STORE`), with its local directories made: the
    /// volume, or the object store through an upstream `object-store` on `client` (its breaker
    /// in `/health`, its calls in the upstream metrics).
    func makeBlobStore(runtime: ServiceRuntime, client: FlotillaHTTPClient) throws -> any BlobStore {
        guard store == .s3, let objectStore else {
            let volume = VolumeBlobStore(root: storagePath)
            try volume.prepareDirectories()
            return volume
        }
        var policy = Upstream.Policy()
        policy.timeout = objectStore.timeout
        let upstream = runtime.makeUpstream(
            "object-store", baseURL: objectStore.endpoint + "/" + objectStore.bucket, policy: policy, signing: objectStore.signing, client: client)
        let scratch = ScratchSpace(root: storagePath)
        try scratch.prepareDirectories()
        return S3BlobStore(
            client: ObjectStoreClient(upstream: upstream, idleTimeout: objectStore.timeout, logger: runtime.logger), scratch: scratch,
            keyPrefix: objectStore.keyPrefix)
    }
}
