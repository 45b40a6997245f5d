import CCurl

/// One request in flight: its easy handle and what has arrived so far. Touched only by the
/// multi loop's thread between `start` and completion.
final class CurlTransfer: CurlJob, @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    var body: [UInt8] = []
    var headers: [(String, String)] = []
    var exceededLimit = false
    var continuation: CheckedContinuation<HTTPClientResponse, any Error>?
    /// curl's detailed message for a failure ("Connection timed out after 501 milliseconds").
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(request: HTTPClientRequest, timeout: Duration, maxResponseBytes: Int) throws {
        guard let handle = curl_easy_init() else { throw HTTPClientError(.transport, "curl_easy_init failed") }
        self.handle = handle
        self.maxResponseBytes = maxResponseBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        headerList = Self.configure(handle, request, errorBuffer: errorBuffer)
        if let body = request.body {
            flotilla_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = body.withUnsafeBytes { flotilla_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        let milliseconds = max(1, timeout.wholeMilliseconds)
        flotilla_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        flotilla_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        let context = Unmanaged.passUnretained(self).toOpaque()
        flotilla_setopt_pointer(handle, CURLOPT_PRIVATE, context)
        flotilla_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        flotilla_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody)
        flotilla_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        flotilla_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader)
    }

    /// What every transfer sets on its easy handle: URL, method, headers (without `Expect:
    /// 100-continue`), error buffer, HTTP/2 over TLS, verified TLS, no signals, no Nagle; SigV4
    /// signing when asked. The header list returned must outlive the transfer.
    static func configure(_ handle: UnsafeMutableRawPointer, _ request: HTTPClientRequest, errorBuffer: UnsafeMutablePointer<CChar>) -> UnsafeMutablePointer<curl_slist>? {
        flotilla_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        flotilla_setopt_string(handle, CURLOPT_URL, request.url)
        flotilla_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "HEAD" { flotilla_setopt_long(handle, CURLOPT_NOBODY, 1) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            // curl's own option: a header signers leave out of a SigV4 signature (as AWS's SDKs do).
            if name.equalsIgnoringASCIICase("User-Agent") {
                flotilla_setopt_string(handle, CURLOPT_USERAGENT, value)
                continue
            }
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip for bodies; a signed request keeps it (curl would
        // sign the emptied header, which the object store does not see).
        if request.signing == nil { headerList = curl_slist_append(headerList, "Expect:") }
        flotilla_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        flotilla_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        flotilla_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        flotilla_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        flotilla_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        flotilla_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
        if let signing = request.signing {
            flotilla_setopt_string(handle, CURLOPT_AWS_SIGV4, signing.curlProvider)
            flotilla_setopt_string(handle, CURLOPT_USERNAME, signing.accessKeyID)
            flotilla_setopt_string(handle, CURLOPT_PASSWORD, signing.secretAccessKey)
        }
        return headerList
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Append body bytes; false (abort) past the limit.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxResponseBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Record one header line (raw bytes, CRLF included).
    func receiveHeader(_ line: UnsafeRawBufferPointer) {
        Self.parseHeader(line, into: &headers)
    }

    /// Add header `line` to `headers`; a new status line (redirect, 100 Continue) starts over.
    static func parseHeader(_ line: UnsafeRawBufferPointer, into headers: inout [(String, String)]) {
        if line.starts(with: "HTTP/".utf8) {
            headers = []
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        var start = colon + 1
        var end = line.endIndex
        while start < end, line[start].isASCIIWhitespace { start += 1 }
        while end > start, line[end - 1].isASCIIWhitespace { end -= 1 }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
        headers.append((name, String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)))
    }

    func complete(_ code: CURLcode) {
        continuation?.resume(with: outcome(code))
        continuation = nil
    }

    func abort(_ error: any Error) {
        continuation?.resume(throwing: error)
        continuation = nil
    }

    /// The response, or the error, once curl reports `code` for this transfer.
    func outcome(_ code: CURLcode) -> Result<HTTPClientResponse, any Error> {
        if exceededLimit {
            return .failure(HTTPClientError(.tooLarge, "response body larger than \(maxResponseBytes) bytes"))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return .failure(Self.error(for: code, detail: detail.isEmpty ? nil : detail))
        }
        var status = 0
        flotilla_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPClientResponse(status: status, headers: headers, body: body))
    }

    static func error(for code: CURLcode, detail: String? = nil) -> HTTPClientError {
        let message = detail ?? String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_CONNECT: return HTTPClientError(.connectFailed, message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return HTTPClientError(.dns, message)
        case CURLE_OPERATION_TIMEDOUT: return HTTPClientError(.timeout, message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
            return HTTPClientError(.tls, message)
        default: return HTTPClientError(.transport, message)
        }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let length = size * count
    Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
