import FlotillaKit

/// The tier a customer's spending earns (the seed's rule, strict comparisons): Gold above
/// 10,000, Silver above 5,000, Bronze otherwise — exactly 10,000 is Silver.
enum VIPTier: String, Sendable {
    case gold = "Gold"
    case silver = "Silver"
    case bronze = "Bronze"

    static let goldAbove = Money(cents: 1_000_000)
    static let silverAbove = Money(cents: 500_000)

    init(totalSpent: Money) {
        if totalSpent > Self.goldAbove {
            self = .gold
        } else if totalSpent > Self.silverAbove {
            self = .silver
        } else {
            self = .bronze
        }
    }
}
