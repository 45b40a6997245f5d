@testable import Auth

/// Signing keys for tests. RSA key generation is slow in a debug build (BoringSSL at -O0)
/// and would hold one of the two cooperative threads for seconds, stalling every other
/// suite; so the two RSA keys are fixed here, generated once with
/// `openssl genrsa -traditional 2048` for these tests only, and re-labelled with whatever
/// `kid` a test needs. (EC keys are cheap: tests generate them with `SigningKey.generate`.)
enum TestKeys {
    static func rsa(kid: String) throws -> SigningKey {
        try SigningKey(kid: kid, pem: rsaPEM)
    }

    /// A different RSA key, for "right kid, wrong key" cases.
    static func otherRSA(kid: String) throws -> SigningKey {
        try SigningKey(kid: kid, pem: otherRSAPEM)
    }

    static let rsaPEM = """
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAsl2L5wBRrz6KfvHR3eJhQWGUi6yJnMzFq8t+FD4dwBm/SJhW
oFOT0FgoTF3kq20AZVkjO5k0644lnDZPI+tZq6q9Nid+O6iZJofBnRV0wsATeOJ7
vt0+pZ+mQSkPE5+9tGpB+VdDs8umfjLqWR/ZKeb+ac9G2HhL8jfoSDdXMZgMo4vQ
sc3UyWNmF4gfX/6bO2JIH8hM+xIfLnNkrVetk9sPsqtD3qSU5DeReQ5vJnCz/mRd
MY3QD4REAx41VTfDrYTG02PahRvZMyxIER5PpfdR+/vowxVo1n9oGj7LN7PziUd0
GTlidyOaiEdFhnB3CUUGWYq4E9jNT0sGrHfkgQIDAQABAoIBAE5oEtzb5gx8GJOP
J6s7HXeJNqxjjyavWWGYlXa+i4NrjguSc9oMg1i9uBFB4Qh+ZQMoOPW09m9p0Byo
PwfSKFvvNTe+Cp6dEZ2/ZZvw15/YoXatUKppRWW3FXVlYCxHNzQ81X2PH8LEjg7B
wQSmnGbwFPxcUo9L6k6yxtggA6NXr3Xx8EPPSrAOzA5sIk6qHbvsd40v65m0f7LT
N/PakCcEg6zmvP58L1vztdSRgb0C3BjN9SYUBBpsQ7DSKcYblQnKT2+C4KHsoTmn
QlB3OxVY9Ww36ls+RM8qiiy9/eyLZTVLITFYXuS8Z5CF2LD4AwQ1nimi8NtaY+9s
f6by1nUCgYEA7449QrAEcX/fisSi+S6fuicX30zm8fEXXGvKka7bdrBB8G3pNJSh
2G/QfUw0kX7jLOw/IPNJRn3BwBtTSy3MgLY/1Bc20R0YmnuR8oavpC6fS62ZAkhX
7LemTe2d0Q9sHmRjfFinzfd07phHlajnWsNh7BFj5gp+6brDIUB5BzsCgYEAvpv/
ve6Yu2GHqLKbEW2EVurqRnkeE4koHKZAVZn80rOtpJVOleusk+o/6SexsGJQ2i+I
Bcw2iABjfrujiz0v0jKkqtkWq0uVa5Jf6IK23VR044Y9zfhbiqnHgTTPut/kOLKu
5UYWHUOS8b0RngPK/gFDTy25Mm4yiel++U4Un3MCgYAtiKLaTyy5Ci5KaS/1H0ib
EJ04A50ONd5T4eVCJbNvbvdJpQqjxPCyfCZr+pUvZqf1vP4O3E98R6ERS+BcNNtf
R8UAIl14CAjKLFzEdZdjJL2AnAGubmPQCeRhgZ3yw/SwHjLOyucyfivKwkUxDEbV
eLffMDsF2c7fzHEUm/WlSwKBgFxxumo6kvamSa4m2ZBtRjcFfhQp381nwv2KID+k
DHuAS2I8S73obG3cuZxx9Prv4/i9/sGZFoWFcrvfc2UvisbuavC1kwoHAXQHrN5O
rzPPJ1XGIKmJn5Qz3Z+rpmgi+EQLXUmzYTxWLqlxol65xjTFFgkLyvtLeNVsWnm9
RcFDAoGBAJ/g6JK5Q67P+mxnusK4GT/sv2JAlhs+jUky52bWwBhll69GQ5NXLXmF
XxfQYmBcwE/mNU/Hu9zyF6JB0DS4PpVcX3ddETFgBus99IDr58U4v+dscWJd/jzY
Ks7bbeIwubwwKNqr+uDVLc+I0LA8yxZ8nSZDg0HXa1quyS19Or20
-----END RSA PRIVATE KEY-----
"""

    static let otherRSAPEM = """
-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAwI9Bupo5xvz1OOHt/UHyU4uWyPknIYbPXDlpLbJ8hnuvQ5sx
9JZkP/OoicTJJE/LfwXEHGxil0Nckmz5TRJwUNTD+PFz+YhjUGzT6sXaRrHDogLW
uYijjxPkOzuZe8sO5kxkbUrIxuf8bnxFGAEnrlahHXXSMHHx8u8KZeZqq5tYR8hp
A7V5jCmIK4AFNrP9UF0kM2Pce69kOtc0MEtHh8E4j+4fDHAKWKNxJERclZ5sapoq
4gtrxzteBxbRa6NJlri5RG24Ky50VMjDtFQhwU3d9LeBsEmCq7Fa+PdQnnj71iIg
KrHAeP1PHRvdvQYM2eBOcEM8ecYMsjVPuNWG4QIDAQABAoIBAGAd4fhMDXUHRTx8
gff9mAEd10lAHMk+anklaxvVURUr3eNIL1pgS3AkpscGBETs06326doqO9g3Vpj8
bkCLaKbgXWYA2BwBeVlmyS0ST48kInvXIOmBi+raSf1LFaTWSfyouyRWxPuMRtO7
kh2WTgFW2ptC+YUXC2dw7GbK6gn35T/tdKsuMaOiW3eNGRdr0EV01C8e6D6OdFmU
yNVLd5iAH2VKy3Lj2TFT8tQEYzgkN9peNLODr5quiDezfh6QWkAVs6qHpPVYkjl7
KV17HrLUyA6OeAbzTwWdtQ3fh3mPgZJj+BDr38x1us7ZXldKGvlPlRKPG+E5iyAC
7dNwYuUCgYEA8uOiSgSND/KVP5rzewK1zsFEdfmtpZW7ytAAJv6b5bNEqNcyWmTF
MPzi0mkGXApbSL/D7Nn//gwrpKdztAcCasaHRxRZNsSxY3tb7921wPQU5LVjyYui
USVSA3gES38jvIA6QJo5GlO/EI2PQNXvjgsw/2XHH0xT40bFORdGtb8CgYEAyvQk
lSSmzERRp7uf6z6m87FDKTKm/6FGsU8I1cG0qlGy7Uob2nWqxSi4aOQtKNWEK58V
EuQRMfil6hwcrfylPxCtP+IAVcHBOP6SBCAU+WbkCvpE/qYcJdV/4iVcf7/YQVz7
1To/uD5Z+fDoF9SXp8d1F0I7tJ/aeYrBb+kvK18CgYAdExypKZRNNWeiPoUo03E5
966fRK0BpkPdijqKcG3u+B+e6muvoGJuc8cfEs1dFSxKMBJe9tWK7qAGzLiv8yrZ
5zvoSUpIoRDu7KRbuTl5iH47xm7UgG+EsSf5HFO/Sc/YT60pcIynVyEG9TsRsspD
QZmy6NcGKxfbm+wd4mhndwKBgCi1CXVksZP9DAfBqVTM7z2ny1nDEB3r4jsEKDh/
rtYOpv3TRHzv5v2+qiZXxfsPwH/jW527YvuL7PNlCheXuilJFgbfNMP+pdvhq7Xq
HWrcyVauVhJhjPnFte3NIp15BE4v8U8WbNtunit0t4i4GmcLqZ+tqD4VZgPE4gGp
Ws2vAoGAZwt7L4BEVOAsgQtWc8YNw7LAoQ6zmkI41zT6GReZJojOhLuT2SBuWB2e
0Gh41ZdfZNRLp2Qdd5567A7reZM8aRy8skvdBvGqFSgIGP8RVXSZszX0cShCib7f
+7HPAXuNUNhV9/Wux3jPDNt3tKHf1fFbiP3SbRePln4WDtsvqMs=
-----END RSA PRIVATE KEY-----
"""
}
