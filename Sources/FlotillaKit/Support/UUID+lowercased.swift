#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension UUID {
    /// The canonical lower-case form PostgreSQL prints and JWT subjects use.
    public var lowercasedString: String { uuidString.lowercased() }
}
