import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How an edit is kept (Gitea's and GitHub's history): within a short grace period after
/// posting, and while nobody has seen an earlier revision, the body is simply replaced (a
/// typo fixed at once is not history); after it, the old body becomes a revision and the
/// comment is stamped `edited_at`. At most ``maxRevisions`` are kept, the oldest pruned.
struct EditPolicy: Sendable {
    static let maxRevisions = 20

    /// How long after posting an edit replaces without a revision.
    let grace: Duration

    enum Decision: Equatable {
        /// Overwrite the body; no revision, no `edited_at`.
        case replace
        /// Keep the old body as revision `number`; stamp `edited_at`.
        case revise(number: Int)
    }

    /// What an edit at `now` of a comment posted at `createdAt`, with `revisions` kept so far
    /// (the highest numbered `latest`), does.
    func decide(createdAt: Date, now: Date, latestRevision latest: Int?) -> Decision {
        if latest == nil, now.timeIntervalSince(createdAt) < grace.seconds { return .replace }
        return .revise(number: (latest ?? 0) + 1)
    }

    /// The revision numbers to prune after revision `number` was added: all at or below
    /// `number - maxRevisions`.
    static func pruneBelowOrAt(after number: Int) -> Int { number - maxRevisions }
}
