/// An error that knows how it should be answered over HTTP.
///
/// Kit components (the database pool, the HTTP client, ...) conform their errors so the
/// error-envelope middleware answers, say, an exhausted pool with 503
/// `database_unavailable` rather than a 500, without services catching and converting.
public protocol APIErrorConvertible: Error {
    /// The response this error should produce.
    var apiError: APIError { get }
}
