#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The opaque `cursor` of a keyset-paginated list: the sort it was made for and the sort key
/// of the last row served (as text, cast back in SQL). Unlike an offset, a keyset cursor
/// neither skips nor repeats rows when rows are inserted while a client walks the list.
public struct KeysetCursor: Sendable, Equatable, Codable {
    /// The sort the cursor belongs to (`-updated_at`): a cursor is refused under another.
    public let sort: String
    /// The last row's sort key, column by column.
    public let values: [String]

    public init(sort: String, values: [String]) {
        self.sort = sort
        self.values = values
    }

    private enum CodingKeys: String, CodingKey {
        case sort = "s", values = "v"
    }

    /// The token handed to clients (base64url of a small JSON document).
    public var token: String {
        Base64URL.encode((try? JSONEncoder().encode(self)) ?? Data())
    }

    /// Read `cursor` for `sort` with `columns` sort-key columns; a token this API did not make
    /// for that sort is a problem recorded on `query` (400 `invalid_query`).
    public static func read(_ query: inout QueryReader, sort: String, columns: Int) -> KeysetCursor? {
        guard let text = query.raw("cursor") else { return nil }
        guard text.count <= 1024, let data = Base64URL.decode(text), let cursor = try? JSONDecoder().decode(KeysetCursor.self, from: data),
            cursor.values.count == columns, cursor.values.allSatisfy({ $0.count <= 200 })
        else {
            query.record("cursor", "is not a cursor this API gave out; pass next_cursor from the previous page unchanged")
            return nil
        }
        guard cursor.sort == sort else {
            query.record("cursor", "was made for sort '\(cursor.sort.prefix(40))'; keep the same sort while paging")
            return nil
        }
        return cursor
    }
}
