import FlotillaKit
import Prometheus

/// The files service's business metrics, beside the kit's RED metrics.
struct FilesMetrics: Sendable {
    let uploaded: Counter
    let uploadedBytes: Counter
    let refused: Counter
    let downloads: Counter
    let deleted: Counter
    let shared: Counter
    let linksCreated: Counter
    let linkDownloads: Counter
    let blobsCollected: Counter

    init(registry: MetricsRegistry) {
        let make = { (name: String, help: String) in registry.prometheus.makeCounter(descriptor: .named(name, help: help)) }
        uploaded = make("files_uploaded_total", "Files and versions stored.")
        uploadedBytes = make("files_uploaded_bytes_total", "Bytes of files and versions stored (before deduplication).")
        refused = make("files_refused_total", "Uploads refused for their content type.")
        downloads = make("files_downloads_total", "Downloads by people signed in.")
        deleted = make("files_deleted_total", "Files deleted.")
        shared = make("files_shares_total", "Files shared with a person.")
        linksCreated = make("files_links_created_total", "Share links created.")
        linkDownloads = make("files_link_downloads_total", "Downloads through share links.")
        blobsCollected = make("files_blobs_collected_total", "Unreferenced blobs removed by garbage collection.")
    }
}
