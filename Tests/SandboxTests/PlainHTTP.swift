import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP, for the validation page (a browser's requests).
enum HTTP {
    struct Response: Sendable {
        let status: Int
        let contentType: String?
        let text: String
    }

    static func send(_ url: URL, method: String) async throws -> Response {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if method == "POST" {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data()
        }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                continuation.resume(returning: Response(status: http?.statusCode ?? 0,
                                                        contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                                                        text: String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }
}
