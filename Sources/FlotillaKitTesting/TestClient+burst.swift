import HummingbirdTesting

extension TestClientProtocol {
    /// `count` copies of one request, sent at once over connections of their own, for tests
    /// of behaviour under concurrency. The live test client pipelines every request on one
    /// connection with a fixed 20 s budget that covers the whole queue, which a loaded machine
    /// can exceed for a burst; here each request's `ceiling` only bounds a hang. Replies in
    /// completion order.
    public func burst(
        _ count: Int, _ method: String, _ uri: String, headers: [(String, String)] = [], body: String? = nil,
        ceiling: Duration = .seconds(120)
    ) async throws -> [HTTPTestClient.Reply] {
        guard let port else { preconditionFailure("burst needs a live server (.live)") }
        let url = "http://127.0.0.1:\(port)\(uri)"
        return try await withThrowingTaskGroup(of: HTTPTestClient.Reply.self) { group in
            for _ in 0..<count {
                group.addTask { try await HTTPTestClient.send(method, url, headers: headers, body: body, timeout: ceiling) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
